import HTTP
import Kernel
import Trips

/// PLACEHOLDER (replaced by the planning work): planning's services, jobs and routes.
final class PlanningComponents: Sendable {
    init(services: Services, trips: TripService, models: any ChatCompleting, idempotency: IdempotencyMiddleware) throws
    {}

    func register(_ routes: inout Routes) {}
}
