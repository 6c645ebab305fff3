import Foundation
import Kernel

/// The kinds of itinerary item.
public enum ItemKind: String, Sendable, Codable, CaseIterable {
    case activity, food, lodging, transport, note
}

/// How a transport item travels.
public enum TransportMode: String, Sendable, Codable, CaseIterable {
    case flight, train, bus, car, ferry, walk
}

/// A located thing: an item's place, or a transport's origin and destination.
public struct Place: Sendable, Codable, Equatable {
    public var name: String
    public var lat: Double?
    public var lon: Double?
    public var address: String?
    public var providerRef: String?

    public init(name: String, lat: Double?, lon: Double?, address: String? = nil, providerRef: String? = nil) {
        self.name = name
        self.lat = lat
        self.lon = lon
        self.address = address
        self.providerRef = providerRef
    }

    var coordinate: Coordinate? {
        guard let lat, let lon else { return nil }
        return Coordinate(latitude: lat, longitude: lon)
    }
}

/// An itinerary item as the API shows it.
public struct ItemView: Sendable, Encodable {
    public var id: String
    public var tripId: String
    public var kind: ItemKind
    public var title: String
    public var day: CalendarDate?
    public var startTime: LocalTime?
    public var endTime: LocalTime?
    public var startsAt: Date?
    public var endsAt: Date?
    public var place: Place?
    public var cost: MoneyAmount?
    public var url: String?
    public var notes: String?
    public var confirmationCode: String?
    public var checkIn: CalendarDate?
    public var checkOut: CalendarDate?
    public var from: Place?
    public var to: Place?
    public var carrier: String?
    public var number: String?
    public var mode: TransportMode?
    public var version: Int64
    public var createdAt: Date
    public var updatedAt: Date

    public var etag: String { "\"i\(version)\"" }
}

/// What an item holds, whatever the request that set it: creation and patches both end as one of
/// these, and one validation checks it against the trip.
struct ItemState {
    var kind: ItemKind = .activity
    var title = ""
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

/// `POST …/items` and `PATCH …/items/{iid}` bodies.
public struct ItemInput: Decodable, Sendable {
    public var kind: String? = nil
    public var title: String? = nil
    public var day: Patch<String> = .absent
    public var startTime: Patch<String> = .absent
    public var endTime: Patch<String> = .absent
    public var startsAt: Patch<String> = .absent
    public var endsAt: Patch<String> = .absent
    public var place: Patch<Place> = .absent
    public var cost: Patch<MoneyAmount> = .absent
    public var url: Patch<String> = .absent
    public var notes: Patch<String> = .absent
    public var confirmationCode: Patch<String> = .absent
    public var checkIn: Patch<String> = .absent
    public var checkOut: Patch<String> = .absent
    public var from: Patch<Place> = .absent
    public var to: Patch<Place> = .absent
    public var carrier: Patch<String> = .absent
    public var number: Patch<String> = .absent
    public var mode: Patch<String> = .absent
    /// Creation only: place the new item after this one (default: at the end of its day).
    public var afterId: String? = nil

    /// Every field absent: set the ones to write (imports build items this way).
    public init() {}
}

/// `POST …/items/{iid}/move`: to `day` (null: unscheduled), after `after_id` or first.
public struct MoveInput: Decodable, Sendable {
    public var day: Patch<String>
    public var afterId: String?
}

/// A `trip_items` row.
struct ItemRow: Decodable {
    var id: String
    var tripId: String
    var kind: String
    var title: String
    var day: String?
    var position: String
    var startTime: String?
    var endTime: String?
    var startsAt: Date?
    var endsAt: Date?
    var place: String?
    var costAmount: Int64?
    var costCurrency: String?
    var url: String?
    var notes: String?
    var confirmationCode: Data?
    var checkIn: String?
    var checkOut: String?
    var fromPlace: String?
    var toPlace: String?
    var carrier: String?
    var number: String?
    var mode: String?
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    static let columns = """
        id::text AS id, trip_id::text AS trip_id, kind, title, day::text AS day, position,
        to_char(start_time, 'HH24:MI:SS') AS start_time, to_char(end_time, 'HH24:MI:SS') AS end_time, starts_at,
        ends_at, place::text AS place, cost_amount, cost_currency, url, notes, confirmation_code,
        check_in::text AS check_in, check_out::text AS check_out, from_place::text AS from_place,
        to_place::text AS to_place, carrier, number, mode, version, created_at, updated_at
        """

    static func place(_ json: String?) -> Place? {
        guard let json else { return nil }
        return try? JSONBody.decode(Place.self, from: Array(json.utf8))
    }

    func state(confirmationCode code: String?) -> ItemState {
        ItemState(
            kind: ItemKind(rawValue: kind) ?? .note, title: title, day: day.flatMap(CalendarDate.init),
            startTime: startTime.flatMap(LocalTime.init), endTime: endTime.flatMap(LocalTime.init), startsAt: startsAt,
            endsAt: endsAt, place: Self.place(place),
            cost: costAmount.map { MoneyAmount(amount: $0, currency: costCurrency ?? "") }, url: url, notes: notes,
            confirmationCode: code, checkIn: checkIn.flatMap(CalendarDate.init),
            checkOut: checkOut.flatMap(CalendarDate.init), from: Self.place(fromPlace), to: Self.place(toPlace),
            carrier: carrier, number: number, mode: mode.flatMap(TransportMode.init))
    }

    func view(confirmationCode code: String?) -> ItemView {
        let s = state(confirmationCode: code)
        return ItemView(
            id: id, tripId: tripId, kind: s.kind, title: s.title, day: s.day, startTime: s.startTime,
            endTime: s.endTime, startsAt: s.startsAt, endsAt: s.endsAt, place: s.place, cost: s.cost, url: s.url,
            notes: s.notes, confirmationCode: s.confirmationCode, checkIn: s.checkIn, checkOut: s.checkOut,
            from: s.from, to: s.to, carrier: s.carrier, number: s.number, mode: s.mode, version: version,
            createdAt: createdAt, updatedAt: updatedAt)
    }
}
