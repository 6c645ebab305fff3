import Crypto
import Foundation
import HTTP
import Jobs
import Kernel
import Postgres
import Synchronization
import Trips

/// The Export module as the executable wires it: its store (a local directory or S3, from
/// `ExportSettings`), its routes, its jobs (render, daily cleanup), and its share of account events
/// (exports expire with the account; feeds and exports appear in the user's data export).
/// It reads trips only through `TripService`.
public final class ExportModule: Sendable {
    public static let migrations = ExportSchema.migrations

    let trips: TripService
    public let feeds: CalendarFeedService
    public let exports: ExportService
    let idempotent: [any Middleware]

    public init(services: Services, trips: TripService, idempotency: IdempotencyMiddleware) throws {
        let config = services.config
        self.trips = trips
        idempotent = [idempotency]
        feeds = CalendarFeedService(pool: services.database, trips: trips, publicBaseURL: config.auth.publicBaseURL)
        exports = ExportService(
            pool: services.database, jobs: services.jobs.client, trips: trips,
            store: try Self.makeStore(config), settings: config.export, accountData: services.accountData)
        let exports = self.exports
        let fonts = FontCache()
        services.jobs.register(
            kind: ExportService.renderKind, args: ExportService.RenderArgs.self, timeout: .seconds(600)
        ) {
            args, job in try exports.render(args, job: job, fonts: fonts.load)
        }
        services.jobs.register(kind: ExportService.cleanupKind) { _ in try exports.cleanup() }
        try services.jobs.addCron(
            name: ExportService.cleanupKind, schedule: "23 4 * * *", kind: ExportService.cleanupKind)
        services.accountDeletion.register("export.expire") { user, c in try exports.expireAccount(user, on: c) }
        services.accountData.register("exports") { user, c in try ExportAccountData.section(user, on: c) }
    }

    public func register(_ routes: inout Routes) {
        SharePageRoutes(trips: trips).register(&routes)
        DirectExportRoutes(trips: trips).register(&routes)
        CalendarFeedRoutes(feeds: feeds).register(&routes)
        ExportRoutes(exports: exports, idempotent: idempotent).register(&routes)
        ImportRoutes(trips: trips, idempotent: idempotent).register(&routes)
        if let local = exports.store as? LocalObjectStore { DownloadRoutes(store: local).register(&routes) }
    }

    /// The configured store. The local store's links are signed with a key derived from the first
    /// field-encryption key (kept with the data directory's keys), so they survive restarts and work on
    /// every replica sharing that directory; without one, a random key (links die with the process).
    static func makeStore(_ config: AppConfig) throws -> any ObjectStore {
        let x = config.export
        switch x.store {
        case .s3:
            guard let endpoint = x.s3Endpoint, let bucket = x.s3Bucket, let id = x.s3AccessKeyID,
                let secret = x.s3SecretAccessKey
            else { throw ObjectStoreError.invalidArgument("S3 settings are incomplete") }
            return try S3ObjectStore(
                configuration: S3Configuration(
                    endpoint: endpoint, region: x.s3Region, bucket: bucket, accessKeyID: id, secretAccessKey: secret,
                    addressingStyle: x.s3PathStyle ? .path : .virtualHost))
        case .local:
            let key: [UInt8]
            if let master = config.auth.fieldEncryptionKeys.first {
                key = try HMAC.authenticationCode(
                    for: Array("travelsense export download links v1".utf8), key: Array(master.secret.utf8),
                    using: .sha256)
            } else {
                key = try SecureRandom.bytes(32)
            }
            return try LocalObjectStore(
                directory: x.directory, publicBaseURL: config.auth.publicBaseURL, signingKey: key)
        }
    }
}

/// The PDF fonts, parsed on the first render and kept (1.5 MB), not at start: most processes never
/// render a PDF.
final class FontCache: Sendable {
    private let fonts = Mutex<(regular: TrueTypeFont, bold: TrueTypeFont)?>(nil)

    @Sendable func load() throws -> (regular: TrueTypeFont, bold: TrueTypeFont) {
        try fonts.withLock { cached in
            if let cached { return cached }
            let loaded = try BundledFonts.load()
            cached = loaded
            return loaded
        }
    }
}
