import Auth
import Foundation
import HTTP
import HTTPClient
import Jobs
import Kernel
import Logging
import Postgres

/// The Trips module as the executable wires it: migrations, routes, the purge cron job, and the
/// account hooks (pending invitations attach at registration; owned trips are handed over or deleted
/// when an account is deleted; memberships, invitations and share links in a user's data export).
public final class TripsModule: Sendable {
    public static let migrations = TripsSchema.migrations
    static let purgeKind = "trips_purge"

    public let service: TripService
    let places: PlacesService
    let weather: WeatherService
    /// Shared with the modules built on Trips, so a key is one namespace across them.
    public let idempotency: IdempotencyMiddleware

    public init(services: Services, accounts: AuthService) throws {
        let config = services.config
        service = TripService(
            pool: services.database, redis: services.redis, jobs: services.jobs.client, accounts: accounts,
            cipher: try config.auth.makeFieldCipher(), publicBaseURL: config.auth.publicBaseURL)
        // One client (and keep-alive pool) for both providers.
        var http = HTTPClientConfiguration()
        http.timeout = config.trips.providerTimeout
        http.connectTimeout = config.trips.providerTimeout
        http.maxResponseBodyBytes = 2 * 1024 * 1024
        let client = try HTTPClient(configuration: http)
        places = try PlacesService(settings: config.trips, redis: services.redis, client: client)
        weather = WeatherService(settings: config.trips, redis: services.redis, trips: service, client: client)
        // Keys belong to the user (or API key), not to one access token: a client retrying after a
        // token refresh still gets its first answer replayed.
        idempotency = IdempotencyMiddleware(pool: services.database) { request in
            guard let p = request.principal else { return "anonymous:" + request.clientAddress }
            switch p.credential {
            case .accessToken: return "user:" + p.userIDString
            case .apiKey(let id): return "key:" + id.uuidString.lowercased()
            case .calendarFeed(let id): return "feed:" + id.uuidString.lowercased()
            case .export(let id): return "export:" + id.uuidString.lowercased()
            }
        }
        let s = service
        services.accountRegistration.register("trips.invites") { account, c in try s.attachInvites(account, on: c) }
        services.accountDeletion.register("trips.ownership") { user, c in try s.handOverTrips(of: user, on: c) }
        services.accountData.register("trips") { user, c in try s.accountDataSection(user, on: c) }
        services.jobs.register(kind: Self.purgeKind) { _ in _ = try s.purgeDeletedTrips() }
        try services.jobs.addCron(name: Self.purgeKind, schedule: "41 3 * * *", kind: Self.purgeKind)
    }

    public func register(_ routes: inout Routes) {
        let idempotent: [any Middleware] = [idempotency]
        TripRoutes(service: service, idempotent: idempotent).register(&routes)
        ItemRoutes(service: service, idempotent: idempotent).register(&routes)
        MemberRoutes(service: service, idempotent: idempotent).register(&routes)
        ChecklistRoutes(service: service, idempotent: idempotent).register(&routes)
        ExpenseRoutes(service: service, idempotent: idempotent).register(&routes)
        PlaceRoutes(places: places, weather: weather, service: service, idempotent: idempotent).register(&routes)
    }
}
