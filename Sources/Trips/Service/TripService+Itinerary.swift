import Foundation
import HTTP
import Kernel
import Metrics
import Postgres
import Redis

extension TripService {
    /// How long an itinerary stays cached. Keys carry the trip version, so a write makes the old copy
    /// unreachable at once; the TTL only bounds memory.
    static let itineraryTTL: Duration = .seconds(3600)

    /// Hits, misses and Redis errors of the itinerary cache.
    static let memoHits = Counter(label: "trips_itinerary_cache_total", dimensions: [("result", "memory_hit")])
    static let cacheHits = Counter(label: "trips_itinerary_cache_total", dimensions: [("result", "hit")])
    static let cacheMisses = Counter(label: "trips_itinerary_cache_total", dimensions: [("result", "miss")])
    static let cacheErrors = Counter(label: "trips_itinerary_cache_total", dimensions: [("result", "error")])

    /// The itinerary's ETag for a trip version.
    static func itineraryETag(_ version: Int64) -> String { "\"it\(version)\"" }

    static func itineraryKey(_ tripID: UUID, _ version: Int64) -> String {
        "trips:itinerary:\(tripID.uuidString.lowercased()):\(version)"
    }

    /// The itinerary's JSON and ETag; nil body when `ifNoneMatch` already names the current version.
    /// One PostgreSQL query (membership and version), then this process's memo, then Redis (shared
    /// by the replicas), then PostgreSQL again to build it.
    public func itinerary(
        _ tripID: UUID, ifNoneMatch: [String]?, _ principal: Principal
    ) throws -> (
        etag: String, body: [UInt8]?
    ) {
        let (_, version) = try readAccess(tripID, principal)
        let etag = Self.itineraryETag(version)
        if let ifNoneMatch, ifNoneMatch.contains(etag) || ifNoneMatch.contains("*") { return (etag, nil) }
        let key = Self.itineraryKey(tripID, version)
        if let local = itineraryMemo.get(key) {
            Self.memoHits.increment()
            return (etag, local)
        }
        if let redis {
            do {
                if let cached = try redis.get(key) {
                    Self.cacheHits.increment()
                    itineraryMemo.put(key, cached)
                    return (etag, cached)
                }
                Self.cacheMisses.increment()
            } catch {
                Self.cacheErrors.increment()
                logger.warning("itinerary cache read failed", metadata: ["error": "\(error)"])
            }
        }
        let (builtVersion, body) = try buildItinerary(tripID)
        itineraryMemo.put(Self.itineraryKey(tripID, builtVersion), body)
        if let redis {
            do {
                try redis.set(Self.itineraryKey(tripID, builtVersion), body, expiresIn: Self.itineraryTTL)
            } catch {
                Self.cacheErrors.increment()
                logger.warning("itinerary cache write failed", metadata: ["error": "\(error)"])
            }
        }
        return (Self.itineraryETag(builtVersion), body)
    }

    /// The itinerary as values, for exports: read once, never cached (an export renders it once).
    public func itineraryView(_ tripID: UUID, _ principal: Principal) throws -> ItineraryView {
        _ = try readAccess(tripID, principal)
        return try buildItineraryView(tripID).1
    }

    /// Reads the trip and its items in one snapshot, so the bytes match the version they are cached
    /// under even while writers commit.
    func buildItinerary(_ tripID: UUID) throws -> (Int64, [UInt8]) {
        let (version, itinerary) = try buildItineraryView(tripID)
        return (version, try JSONBody.encode(itinerary))
    }

    func buildItineraryView(_ tripID: UUID) throws -> (Int64, ItineraryView) {
        let (trip, rows) = try snapshot(tripID)
        var view = trip.view
        view.role = nil
        let items = try rows.map(itemView)
        let (days, unscheduled) = Self.schedule(items, view)
        let itinerary = ItineraryView(
            trip: view, days: days, unscheduled: unscheduled, costTotals: CostTotals.of(items, first: view.currency),
            distanceM: days.reduce(0) { $0 + $1.distanceM })
        return (trip.version, itinerary)
    }

    /// The trip row and its items in itinerary order, read in one REPEATABLE READ snapshot.
    func snapshot(_ tripID: UUID) throws -> (TripRow, [ItemRow]) {
        try pool.transaction(TransactionOptions(isolation: .repeatableRead)) { c in try tripRows(tripID, on: c) }
    }

    /// The trip row and its items in itinerary order, as `c` sees them.
    func tripRows(_ tripID: UUID, on c: PostgresConnection) throws -> (TripRow, [ItemRow]) {
        guard
            let trip = try c.query(
                """
                SELECT \(TripRow.columns) FROM trips t
                JOIN trip_members m ON m.trip_id = t.id AND m.role = 'owner' WHERE t.id = $1
                """, [tripID]
            ).decode(TripRow.self).first
        else { throw Self.notFound }
        let rows = try c.query(
            "SELECT \(ItemRow.columns) FROM trip_items WHERE trip_id = $1 ORDER BY day, position", [tripID]
        ).decode(ItemRow.self)
        return (trip, rows)
    }

    /// Every day of the trip with its items, and the unscheduled ideas.
    static func schedule(_ items: [ItemView], _ trip: TripView) -> ([DayView], [ItineraryEntry]) {
        var byDay: [CalendarDate: [ItemView]] = [:]
        var unscheduled: [ItineraryEntry] = []
        for item in items {
            if let day = item.day {
                byDay[day, default: []].append(item)
            } else {
                unscheduled.append(ItineraryEntry(item: item, distanceFromPreviousM: nil))
            }
        }
        var days: [DayView] = []
        var date = trip.startDate
        while date <= trip.endDate {
            let dayItems = byDay[date] ?? []
            let (entries, distance) = entries(dayItems)
            days.append(
                DayView(
                    date: date, items: entries, costTotals: CostTotals.of(dayItems, first: trip.currency),
                    distanceM: distance))
            date = date.adding(days: 1)
        }
        return (days, unscheduled)
    }

    /// Distances between consecutive located items of one day, in meters.
    static func entries(_ items: [ItemView]) -> ([ItineraryEntry], Int) {
        var previous: Coordinate?
        var total = 0.0
        let entries = items.map { item -> ItineraryEntry in
            guard let here = item.place?.coordinate else {
                return ItineraryEntry(item: item, distanceFromPreviousM: nil)
            }
            defer { previous = here }
            guard let previous else { return ItineraryEntry(item: item, distanceFromPreviousM: nil) }
            let d = Geodesy.distanceMeters(previous, here)
            total += d
            return ItineraryEntry(item: item, distanceFromPreviousM: Int(d.rounded()))
        }
        return (entries, Int(total.rounded()))
    }
}
