import Foundation

/// Money as integer minor units of an ISO 4217 currency (DESIGN §6).
public struct MoneyAmount: Sendable, Codable, Equatable {
    public var amount: Int64
    public var currency: String

    public init(amount: Int64, currency: String) {
        self.amount = amount
        self.currency = currency
    }
}

/// Where a trip goes; coordinates are optional (a name is enough to plan).
public struct Destination: Sendable, Codable, Equatable {
    public var name: String
    public var lat: Double?
    public var lon: Double?
    public var countryCode: String?
}

/// A trip as the API shows it to a member.
public struct TripView: Sendable, Encodable {
    public var id: String
    public var title: String
    public var description: String?
    public var destination: Destination?
    public var startDate: CalendarDate
    public var endDate: CalendarDate
    public var timezone: String
    public var currency: String
    public var budget: MoneyAmount?
    /// The caller's role on this trip (absent inside an itinerary, which every member shares).
    public var role: TripRole?
    public var itemCount: Int
    public var version: Int64
    public var createdAt: Date
    public var updatedAt: Date
    /// Set only on trips in the owner's trash.
    public var deletedAt: Date?

    /// Strong ETag of this representation.
    public var etag: String { "\"t\(version)\"" }
}

/// The row behind `TripView`, with the caller's role joined in.
struct TripRow: Decodable {
    var id: String
    var title: String
    var description: String?
    var destinationName: String?
    var destinationLat: Double?
    var destinationLon: Double?
    var destinationCountry: String?
    var startDate: String
    var endDate: String
    var timezone: String
    var currency: String
    var budgetAmount: Int64?
    var budgetCurrency: String?
    var role: String
    var itemCount: Int
    var version: Int64
    var createdAt: Date
    var updatedAt: Date
    var deletedAt: Date?

    /// Selected from `trips t JOIN trip_members m`.
    static let columns = """
        t.id::text AS id, t.title, t.description, t.destination_name, t.destination_lat, t.destination_lon,
        t.destination_country, t.start_date::text AS start_date, t.end_date::text AS end_date, t.timezone,
        t.currency, t.budget_amount, t.budget_currency, m.role, t.item_count, t.version, t.created_at,
        t.updated_at, t.deleted_at
        """

    var view: TripView {
        TripView(
            id: id, title: title, description: description,
            destination: destinationName.map {
                Destination(name: $0, lat: destinationLat, lon: destinationLon, countryCode: destinationCountry)
            },
            startDate: CalendarDate(startDate) ?? CalendarDate(daysSinceEpoch: 0),
            endDate: CalendarDate(endDate) ?? CalendarDate(daysSinceEpoch: 0), timezone: timezone, currency: currency,
            budget: budgetAmount.map { MoneyAmount(amount: $0, currency: budgetCurrency ?? currency) },
            role: TripRole(rawValue: role) ?? .viewer, itemCount: itemCount, version: version, createdAt: createdAt,
            updatedAt: updatedAt, deletedAt: deletedAt)
    }
}

/// `POST /v1/trips` and `PATCH /v1/trips/{id}` bodies: one shape so every bad field is named at once;
/// creation requires what a patch may leave out.
public struct TripInput: Decodable, Sendable {
    public var title: String?
    public var description: Patch<String>
    public var destination: Patch<Destination>
    public var startDate: String?
    public var endDate: String?
    public var timezone: String?
    public var currency: String?
    public var budget: Patch<MoneyAmount>
}

/// `POST /v1/trips/{id}/duplicate`: the copy starts on `start_date` (same length) and may be renamed.
public struct DuplicateInput: Decodable, Sendable {
    public var startDate: String?
    public var title: String?
}
