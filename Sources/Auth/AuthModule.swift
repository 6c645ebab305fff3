import Foundation
import Jobs
import Kernel
import Logging
import Mail
import Postgres

/// The Auth module as the executable wires it: its migrations, its routes, its authentication
/// middleware (which puts a `Principal` on each request for every module), and its jobs.
public final class AuthModule: Sendable {
    public static let migrations = AuthSchema.migrations

    public let service: AuthService

    public init(services: Services, mailer: (any Mailer)?) throws {
        service = try AuthService(
            pool: services.database, redis: services.redis, jobs: services.jobs.client, settings: services.config.auth,
            mailer: mailer, deletionHooks: services.accountDeletion,
            registrationHooks: services.accountRegistration)
        service.registerAccountData(services.accountData)
        let keys = service
        services.apiKeyOwners.register { id in try keys.apiKeyOwner(id) }
        try registerJobs(services.jobs)
    }

    /// Installed by the executable among the global middleware.
    public var middleware: AuthenticationMiddleware {
        AuthenticationMiddleware(authenticator: BearerAuthenticator(service: service))
    }

    public func register(_ routes: inout Routes) {
        AuthRoutes(service: service).register(&routes)
        MeRoutes(service: service).register(&routes)
        APIKeyRoutes(service: service).register(&routes)
        AdminRoutes(service: service).register(&routes)
    }

    static let pruneKind = "auth_prune"

    private func registerJobs(_ jobs: JobSystem) throws {
        let s = service
        jobs.register(kind: AccountMail.jobKind, args: AccountMail.Args.self) { args, _ in
            try s.sendAccountMail(args)
        }
        jobs.register(kind: RevocationMarker.jobKind, args: RevocationMarker.Args.self) { args, _ in
            try s.writeRevocationMarker(user: args.userId, validAfterMilliseconds: args.validAfterMs)
        }
        jobs.register(kind: Self.pruneKind) { _ in try s.pruneExpired() }
        try jobs.addCron(name: Self.pruneKind, schedule: "17 3 * * *", kind: Self.pruneKind)
    }
}

extension AuthService {
    /// Daily: expired or revoked credentials older than a week go (kept a week for incident review).
    /// Rotated refresh tokens stay while unexpired: they are how reuse is detected.
    func pruneExpired() throws {
        try pool.transaction { c in
            try c.execute(
                """
                DELETE FROM refresh_tokens
                WHERE expires_at < now() - interval '7 days' OR revoked_at < now() - interval '7 days'
                """)
            try c.execute("DELETE FROM one_time_tokens WHERE expires_at < now() - interval '7 days'")
            try c.execute("DELETE FROM login_failures WHERE last_failure_at < now() - interval '1 day'")
        }
    }
}
