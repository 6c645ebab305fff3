import Crypto
import Foundation
import HTTP
import Kernel
import Postgres
import Trips

/// Calendar feeds: secret URLs a calendar app subscribes to. The calendar is built from the trips the
/// owner can see at the moment of each request (through `TripService`, as the owner), so leaving a
/// trip, or its deletion, removes it from the feed at once, and a revoked or rotated token stops
/// matching immediately (it is looked up on every request, never cached).
public struct CalendarFeedService: Sendable {
    let pool: PostgresPool
    let trips: TripService
    let publicBaseURL: String

    /// "All my trips" reads at most this many (newest first), so a feed request stays bounded.
    static let maxTrips = 200
    static let tokenPrefix = "cf_"

    static func newToken() throws -> String { tokenPrefix + Base64URL.encode(try SecureRandom.bytes(32)) }
    static func digest(_ token: String) throws -> Data { Data(try SHA256.hash(Array(token.utf8))) }

    static let notFound = HTTPError(.notFound, detail: "No such calendar feed.")

    func issued(_ id: UUID, tripID: String?, created: Date, rotated: Date?, token: String) -> CalendarFeedView {
        let https = publicBaseURL + "/v1/calendar/" + token + ".ics"
        let webcal = https.hasPrefix("https://") ? "webcal://" + https.dropFirst(8) : "webcal://" + https.dropFirst(7)
        return CalendarFeedView(
            id: id.uuidString.lowercased(), tripId: tripID, createdAt: created, rotatedAt: rotated, token: token,
            url: String(webcal), httpsUrl: https)
    }

    public func create(_ input: CalendarFeedInput, _ principal: Principal) throws -> CalendarFeedView {
        var tripID: UUID?
        if let text = input.tripId {
            // A trip the caller cannot see is not found, whether or not it exists.
            guard let id = UUID(uuidString: text) else { throw HTTPError(.notFound, detail: "No such trip.") }
            _ = try trips.trip(id, principal)
            tripID = id
        }
        let token = try Self.newToken()
        let id = UUIDv7.make()
        let created =
            try pool.query(
                "INSERT INTO calendar_feeds (id, user_id, trip_id, token_hash) VALUES ($1, $2, $3, $4) RETURNING created_at",
                [id, principal.userID, tripID, try Self.digest(token)]
            ).first?.decode(0, as: Date.self) ?? Date()
        return issued(id, tripID: tripID?.uuidString.lowercased(), created: created, rotated: nil, token: token)
    }

    public func list(_ principal: Principal) throws -> [CalendarFeedView] {
        try pool.query(
            """
            SELECT id::text, trip_id::text, created_at, rotated_at FROM calendar_feeds
            WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id DESC
            """, [principal.userID]
        ).map { row in
            CalendarFeedView(
                id: try row.decode(0), tripId: try row.decode(1), createdAt: try row.decode(2),
                rotatedAt: try row.decode(3))
        }
    }

    /// A new token for the feed; the old URL stops working in the same statement.
    public func rotate(_ id: UUID, _ principal: Principal) throws -> CalendarFeedView {
        let token = try Self.newToken()
        guard
            let row = try pool.query(
                """
                UPDATE calendar_feeds SET token_hash = $3, rotated_at = now()
                WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL
                RETURNING trip_id::text, created_at, rotated_at
                """, [id, principal.userID, try Self.digest(token)]
            ).first
        else { throw Self.notFound }
        return issued(
            id, tripID: try row.decode(0), created: try row.decode(1), rotated: try row.decode(2), token: token)
    }

    public func revoke(_ id: UUID, _ principal: Principal) throws {
        let n = try pool.execute(
            "UPDATE calendar_feeds SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
            [id, principal.userID])
        guard n == 1 else { throw Self.notFound }
    }

    /// The feed's calendar: its bytes and the newest change among the trips in it; nil for an unknown,
    /// rotated-away or revoked token, or a one-trip feed whose owner can no longer see the trip.
    public func calendar(token: String) throws -> (ics: [UInt8], lastModified: Date)? {
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count == 46,
            let row = try pool.query(
                "SELECT id, user_id, trip_id FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL",
                [try Self.digest(token)]
            ).first
        else { return nil }
        let feedID: UUID = try row.decode(0)
        let owner = Principal(
            userID: try row.decode(1), role: .user, credential: .calendarFeed(id: feedID), scopes: [.tripsRead])
        var itineraries: [ItineraryView] = []
        if let tripID = try row.decode(2, as: UUID?.self) {
            do {
                itineraries = [try trips.itineraryView(tripID, owner)]
            } catch let error as HTTPError where error.status == .notFound {
                return nil
            }
        } else {
            var query = TripListQuery()
            query.page = PageRequest(limit: Self.maxTrips)
            for trip in try trips.trips(query, owner).data {
                guard let id = UUID(uuidString: trip.id) else { continue }
                // A trip left or deleted between the list and this read is simply not in the feed.
                if let itinerary = try? trips.itineraryView(id, owner) { itineraries.append(itinerary) }
            }
        }
        let events = itineraries.flatMap(TripCalendar.events)
        let name = itineraries.count == 1 ? itineraries[0].trip.title : "TravelSense trips"
        let lastModified = itineraries.map(\.trip.updatedAt).max() ?? Date(timeIntervalSince1970: 0)
        return (ICSCalendar(name: name, events: events).render(), lastModified)
    }
}
