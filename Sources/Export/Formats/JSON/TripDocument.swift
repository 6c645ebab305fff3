import Foundation
import HTTP
import Kernel
import Trips

/// The `json` format: a whole trip as one versioned document that `POST /v1/trips/import` takes back.
///
/// Its parts are spelled exactly as the API's create endpoints take them (`trip` as `POST /v1/trips`,
/// each item as `POST …/items`…), so an import is checked by the same rules, and an export → import →
/// export gives the same bytes apart from ids and timestamps. Items keep their ids as `ref` so expenses
/// can point at them (`item_ref`). Members and share links are not part of it: they are access to a
/// trip, not its plan, and cannot move between accounts.
enum TripDocument {
    static let format = "travelsense.trip"
    static let version = 1

    struct Document: Encodable {
        var format = TripDocument.format
        var version = TripDocument.version
        var exportedAt: Date
        var trip: TripFields
        var items: [ItemFields]
        var expenses: [ExpenseFields]
        var checklists: [ChecklistFields]
        /// Who the expenses' user ids are, for a reader; not imported.
        var people: [Person]
    }

    struct TripFields: Encodable {
        var title: String
        var description: String?
        var destination: Destination?
        var startDate: CalendarDate
        var endDate: CalendarDate
        var timezone: String
        var currency: String
        var budget: MoneyAmount?
    }

    struct ItemFields: Encodable {
        var ref: String
        var kind: ItemKind
        var title: String
        var day: CalendarDate?
        var startTime: LocalTime?
        var endTime: LocalTime?
        var startsAt: Date?
        var endsAt: Date?
        var place: Place?
        var cost: MoneyAmount?
        var url: String?
        var notes: String?
        var confirmationCode: String?
        var checkIn: CalendarDate?
        var checkOut: CalendarDate?
        var from: Place?
        var to: Place?
        var carrier: String?
        var number: String?
        var mode: TransportMode?
    }

    struct ExpenseFields: Encodable {
        var description: String
        var amount: Int64
        var currency: String
        var rate: String?
        var paidBy: String
        var split: SplitSpec
        var category: ExpenseCategory
        var date: CalendarDate
        var itemRef: String?
    }

    struct ChecklistFields: Encodable {
        var title: String
        var items: [Entry]

        struct Entry: Encodable {
            var text: String
            var checked: Bool
        }
    }

    struct Person: Encodable {
        var userId: String
        var displayName: String?
    }

    /// Pretty-printed with sorted keys: readable in an editor, and the same trip always gives the same bytes.
    static let encoder = JSONBody.makeEncoder(prettyPrinted: true)

    static func render(_ contents: TripContents, exportedAt: Date) throws -> [UInt8] {
        let t = contents.itinerary.trip
        let entries = contents.itinerary.days.flatMap(\.items) + contents.itinerary.unscheduled
        let items = entries.map(\.item).map { i in
            ItemFields(
                ref: i.id, kind: i.kind, title: i.title, day: i.day, startTime: i.startTime, endTime: i.endTime,
                startsAt: i.startsAt, endsAt: i.endsAt, place: i.place, cost: i.cost, url: i.url, notes: i.notes,
                confirmationCode: i.confirmationCode, checkIn: i.checkIn, checkOut: i.checkOut, from: i.from, to: i.to,
                carrier: i.carrier, number: i.number, mode: i.mode)
        }
        let expenses = contents.expenses.map { x in
            ExpenseFields(
                description: x.description, amount: x.amount, currency: x.currency, rate: x.rate, paidBy: x.paidBy,
                split: x.split, category: x.category, date: x.date, itemRef: x.itemId)
        }
        let checklists = contents.checklists.map { list in
            ChecklistFields(title: list.title, items: list.items.map { .init(text: $0.text, checked: $0.checked) })
        }
        let ids = Set(contents.expenses.flatMap { [$0.paidBy] + $0.split.among.map(\.userId) })
        let people = ids.sorted().map { Person(userId: $0, displayName: contents.people[$0]) }
        let document = Document(
            exportedAt: exportedAt,
            trip: TripFields(
                title: t.title, description: t.description, destination: t.destination, startDate: t.startDate,
                endDate: t.endDate, timezone: t.timezone, currency: t.currency, budget: t.budget),
            items: items, expenses: expenses, checklists: checklists, people: people)
        return Array(try encoder.encode(document)) + [0x0A]
    }

    struct Header: Decodable {
        var format: String?
        var version: Int?
    }

    /// The document as Trips' import input: 400 problem+json for anything that is not a version-1
    /// trip document, naming the field at fault.
    static func parse(_ body: [UInt8]) throws -> TripImportInput {
        let header: Header
        do {
            header = try JSONBody.decode(Header.self, from: body)
        } catch {
            throw HTTPError(.badRequest, detail: "The body is not a JSON object.")
        }
        guard header.format == format else {
            throw HTTPError.invalid([.init(field: "format", message: "must be \"\(format)\"")])
        }
        guard header.version == version else {
            throw HTTPError.invalid([.init(field: "version", message: "must be \(version) (this server's trip format)")]
            )
        }
        do {
            return try JSONBody.decode(TripImportInput.self, from: body)
        } catch let error as DecodingError {
            throw error.problem
        }
    }
}
