import Foundation

/// What a share link shows.
public enum ShareSection: String, Sendable, Codable, CaseIterable {
    case itinerary, map, expenses, checklists
}

/// `POST …/share-links`.
public struct ShareLinkInput: Decodable, Sendable {
    public var sections: [String]?
    public var expiresAt: String?
}

/// A share link as its owner sees it. `token` and `url` are present only in the creation answer:
/// only a digest is stored.
public struct ShareLinkView: Sendable, Encodable {
    public var id: String
    public var sections: [ShareSection]
    public var expiresAt: Date?
    public var revokedAt: Date?
    public var createdAt: Date
    public var token: String?
    public var url: String?
}

/// `GET /v1/shared/{token}`: only the sections the link grants; no member e-mails, notes stay,
/// booking codes never leave.
struct SharedTripView: Encodable {
    var trip: SharedTrip
    var sections: [ShareSection]
    var itinerary: SharedItinerary?
    var map: [MapPoint]?
    var expenses: SharedExpenses?
    var checklists: [ChecklistView]?
}

struct SharedTrip: Encodable {
    var title: String
    var description: String?
    var destination: Destination?
    var startDate: CalendarDate
    var endDate: CalendarDate
    var timezone: String
    var currency: String
}

struct SharedItinerary: Encodable {
    var days: [DayView]
    var unscheduled: [ItineraryEntry]
}

struct MapPoint: Encodable {
    var itemId: String
    var title: String
    var kind: ItemKind
    var day: CalendarDate?
    var lat: Double
    var lon: Double
}

struct SharedExpenses: Encodable {
    var expenses: [ExpenseView]
    var balances: BalancesView
}
