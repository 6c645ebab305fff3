import Foundation

/// A whole trip for `TripService.importTrip`: the trip's fields as `POST /v1/trips` takes them, its items
/// in itinerary order, its expenses and its checklists. Export's JSON format decodes into this, so an
/// import is checked by exactly the rules that check the same data sent through the API.
public struct TripImportInput: Decodable, Sendable {
    public var trip: TripInput
    public var items: [ItemImport]?
    public var expenses: [ExpenseImport]?
    public var checklists: [ChecklistImport]?
}

/// An item of an import: the fields of `POST …/items`, plus the document's own name for it (`ref`), so
/// that expenses can point at items whose ids do not exist yet.
public struct ItemImport: Decodable, Sendable {
    public var ref: String?
    public var item: ItemInput

    public init(ref: String?, item: ItemInput) {
        self.ref = ref
        self.item = item
    }

    enum Keys: String, CodingKey { case ref }

    public init(from decoder: any Decoder) throws {
        ref = try decoder.container(keyedBy: Keys.self).decodeIfPresent(String.self, forKey: .ref)
        item = try ItemInput(from: decoder)
    }
}

/// An expense of an import: the fields of `POST …/expenses`, with `item_ref` naming an item of the same
/// document. `paid_by` and the split's people are the exporting trip's user ids: they are carried over
/// when the document involves one person only (who becomes the importer); an expense shared between
/// several accounts cannot be carried into another account, so it becomes the importer's alone.
public struct ExpenseImport: Decodable, Sendable {
    public var expense: ExpenseInput
    public var itemRef: String?

    enum Keys: String, CodingKey { case itemRef }

    public init(from decoder: any Decoder) throws {
        itemRef = try decoder.container(keyedBy: Keys.self).decodeIfPresent(String.self, forKey: .itemRef)
        expense = try ExpenseInput(from: decoder)
    }
}

public struct ChecklistImport: Decodable, Sendable {
    public var title: String?
    public var items: [ChecklistEntryImport]?
}

public struct ChecklistEntryImport: Decodable, Sendable {
    public var text: String?
    public var checked: Bool?
}

/// Everything a trip holds, for exports that carry the whole trip (JSON, the ZIP, a data export):
/// its itinerary, expenses (oldest first) and checklists, read at one trip version.
public struct TripContents: Sendable {
    public var itinerary: ItineraryView
    public var expenses: [ExpenseView]
    public var checklists: [ChecklistView]
    /// Display names of the people expenses mention, by user id (members and former members).
    public var people: [String: String]
}
