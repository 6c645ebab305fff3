import HTTP
import Kernel
import Postgres
import Trips

/// The AIProxy module as the executable wires it: the OpenAI-compatible gateway (providers, retries,
/// fallback, circuit breakers, budgets, usage, cache, redaction) and itinerary planning on top of it.
/// It reads and writes trips only through `TripService`.
public final class AIProxyModule: Sendable {
    public static let migrations = GatewaySchema.migrations + PlanningSchema.migrations

    let gateway: GatewayComponents
    let planning: PlanningComponents

    public init(services: Services, trips: TripService, idempotency: IdempotencyMiddleware) throws {
        gateway = try GatewayComponents(services: services, trips: trips)
        planning = try PlanningComponents(
            services: services, trips: trips, models: gateway.completer, idempotency: idempotency)
    }

    /// Writes the usage rows queued when the server starts draining.
    public var background: [any BackgroundService] { gateway.background }

    /// Writes every usage row still queued; call after the server and workers stopped, before the
    /// database pool closes (rows recorded during the drain land after `background` flushed).
    public func flushUsage() { gateway.usage.flush() }

    public func register(_ routes: inout Routes) {
        gateway.register(&routes)
        planning.register(&routes)
    }
}
