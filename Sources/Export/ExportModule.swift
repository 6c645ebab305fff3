import HTTP
import Kernel
import Trips

/// The Export module as the executable wires it. It reads trips only through `TripService`.
public final class ExportModule: Sendable {
    let trips: TripService

    public init(trips: TripService) {
        self.trips = trips
    }

    public func register(_ routes: inout Routes) {
        SharePageRoutes(trips: trips).register(&routes)
        DirectExportRoutes(trips: trips).register(&routes)
    }
}
