import Auth
import Crypto
import Foundation
import HTTP
import Jobs
import Kernel
import Logging
import Postgres
import Redis

/// Everything about trips, for the routes and for other modules (AI and Export read and write trips
/// only through this type). Every method takes the acting `Principal` and authorises in SQL: a trip
/// the caller is not a member of does not exist for them (404).
public final class TripService: Sendable {
    /// Most items one trip may hold.
    public static let maximumItems = 2000
    /// Longest trip: a year and a day.
    public static let maximumDays = 366
    /// How long a deleted trip stays restorable before the purge job removes it.
    public static let restorableDays = 30

    let pool: PostgresPool
    let redis: RedisPool?
    let jobs: JobClient
    let accounts: AuthService
    let cipher: FieldCipher
    let publicBaseURL: String
    let logger: Logger
    /// In-process copies of recent itineraries, checked before Redis (16 MiB).
    let itineraryMemo = VersionedMemo(capacityBytes: 16 << 20)

    public init(
        pool: PostgresPool, redis: RedisPool?, jobs: JobClient, accounts: AuthService, cipher: FieldCipher,
        publicBaseURL: String, logger: Logger = Logger(label: "travelsense.trips")
    ) {
        self.pool = pool
        self.redis = redis
        self.jobs = jobs
        self.accounts = accounts
        self.cipher = cipher
        self.publicBaseURL = publicBaseURL
        self.logger = logger
    }

    static let notFound = HTTPError(.notFound, detail: "No such trip.")

    static func forbidden(_ role: TripRole, _ action: String) -> HTTPError {
        HTTPError(.forbidden, detail: "A trip \(role.rawValue) cannot \(action).")
    }

    static func preconditionFailed(_ what: String) -> HTTPError {
        HTTPError(
            .preconditionFailed,
            detail: "The \(what) changed since you read it (If-Match does not match its ETag); read it again.")
    }

    static func uuid(_ text: String, _ what: String = "trip") throws -> UUID {
        // Only lowercase or uppercase canonical UUIDs: anything else cannot name a row.
        guard let id = UUID(uuidString: text) else { throw HTTPError(.notFound, detail: "No such \(what).") }
        return id
    }
}

/// The trip a write is about, locked for the rest of the transaction.
struct LockedTrip {
    var id: UUID
    var role: TripRole
    /// The version after this write's bump.
    var version: Int64
    var startDate: CalendarDate
    var endDate: CalendarDate
    var timezone: String
    var currency: String
    var itemCount: Int

    var days: ClosedRange<CalendarDate> { startDate...endDate }
}

extension TripService {
    /// Starts a write: bumps the trip's version (its ETag and `updated_at` change with any nested
    /// write) and takes its row lock, in the statement that checks the caller's role. 404 for
    /// non-members, 403 for members whose role is too low, 412 when `ifMatch` is stale.
    /// `itemDelta` adjusts the item count in the same statement (creating or deleting an item); the
    /// answer's `itemCount` is the count before it.
    func lockTrip(
        _ tripID: UUID, _ principal: Principal, needs role: TripRole, action: String, ifMatch: Int64? = nil,
        itemDelta: Int = 0, on c: PostgresConnection
    ) throws -> LockedTrip {
        let rows = try c.query(
            """
            UPDATE trips t SET version = t.version + 1, updated_at = now(), item_count = t.item_count + $5
            FROM trip_members m
            WHERE t.id = $1 AND t.deleted_at IS NULL AND m.trip_id = t.id AND m.user_id = $2
              AND m.role = ANY($3::text[]) AND ($4::int8 IS NULL OR t.version = $4)
            RETURNING m.role, t.version, t.start_date::text, t.end_date::text, t.timezone, t.currency,
                t.item_count - $5
            """, [tripID, principal.userID, role.andAbove.map(\.rawValue), ifMatch, itemDelta])
        guard let row = rows.first else {
            throw try accessFailure(tripID, principal, needs: role, action: action, checkedVersion: ifMatch, on: c)
        }
        return LockedTrip(
            id: tripID, role: TripRole(rawValue: try row.decode(0)) ?? .viewer, version: try row.decode(1),
            startDate: CalendarDate(try row.decode(2, as: String.self)) ?? CalendarDate(daysSinceEpoch: 0),
            endDate: CalendarDate(try row.decode(3, as: String.self)) ?? CalendarDate(daysSinceEpoch: 0),
            timezone: try row.decode(4), currency: try row.decode(5), itemCount: try row.decode(6))
    }

    /// Why a guarded statement matched nothing: not a member (404), role too low (403), or a stale
    /// version (412). Only run on the failure path, after the write was already refused in SQL.
    func accessFailure(
        _ tripID: UUID, _ principal: Principal, needs role: TripRole, action: String, checkedVersion: Int64?,
        on c: PostgresConnection
    ) throws -> HTTPError {
        guard
            let row = try c.query(
                """
                SELECT m.role, t.version FROM trips t JOIN trip_members m ON m.trip_id = t.id
                WHERE t.id = $1 AND t.deleted_at IS NULL AND m.user_id = $2
                """, [tripID, principal.userID]
            ).first
        else { return Self.notFound }
        let actual = TripRole(rawValue: try row.decode(0)) ?? .viewer
        if !role.andAbove.contains(actual) { return Self.forbidden(actual, action) }
        if let checkedVersion, try row.decode(1, as: Int64.self) != checkedVersion {
            return Self.preconditionFailed("trip")
        }
        return Self.notFound
    }

    /// The caller's role and the trip's version, for reads (no lock). 404 for non-members.
    func readAccess(
        _ tripID: UUID, _ principal: Principal, on c: PostgresConnection
    ) throws -> (
        role: TripRole, version: Int64
    ) {
        guard
            let row = try c.query(
                """
                SELECT m.role, t.version FROM trips t JOIN trip_members m ON m.trip_id = t.id
                WHERE t.id = $1 AND t.deleted_at IS NULL AND m.user_id = $2
                """, [tripID, principal.userID]
            ).first
        else { throw Self.notFound }
        return (TripRole(rawValue: try row.decode(0)) ?? .viewer, try row.decode(1))
    }
}
