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
    /// The JSON view (`/v1/shared/{token}`).
    public var url: String?
    /// The same sections as a web page for people (`/s/{token}`).
    public var pageUrl: String?
}

/// `GET /v1/shared/{token}` and the share page: only the sections the link grants; no member e-mails,
/// notes stay, booking codes never leave.
public struct SharedTripView: Encodable, Sendable {
    public var trip: SharedTrip
    public var sections: [ShareSection]
    public var itinerary: SharedItinerary?
    public var map: [MapPoint]?
    public var expenses: SharedExpenses?
    public var checklists: [ChecklistView]?
}

public struct SharedTrip: Encodable, Sendable {
    public var title: String
    public var description: String?
    public var destination: Destination?
    public var startDate: CalendarDate
    public var endDate: CalendarDate
    public var timezone: String
    public var currency: String
}

public struct SharedItinerary: Encodable, Sendable {
    public var days: [DayView]
    public var unscheduled: [ItineraryEntry]
}

public struct MapPoint: Encodable, Sendable {
    public var itemId: String
    public var title: String
    public var kind: ItemKind
    public var day: CalendarDate?
    public var lat: Double
    public var lon: Double
}

public struct SharedExpenses: Encodable, Sendable {
    public var expenses: [ExpenseView]
    public var balances: BalancesView
}
