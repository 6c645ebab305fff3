import HTTP
import Kernel
import Postgres
import Trips

/// The Export module as the executable wires it. It reads trips only through `TripService`.
public final class ExportModule: Sendable {
    public static let migrations = ExportSchema.migrations

    let trips: TripService
    public let feeds: CalendarFeedService

    public init(services: Services, trips: TripService) {
        self.trips = trips
        feeds = CalendarFeedService(
            pool: services.database, trips: trips, publicBaseURL: services.config.auth.publicBaseURL)
    }

    public func register(_ routes: inout Routes) {
        SharePageRoutes(trips: trips).register(&routes)
        DirectExportRoutes(trips: trips).register(&routes)
        CalendarFeedRoutes(feeds: feeds).register(&routes)
    }
}
