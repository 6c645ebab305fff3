import HTTP
import Kernel
import Logging
import Trips

/// The gateway as the module wires it: the provider chain, the pipeline (`ChatGateway`, also the
/// planner's `completer`), usage and budgets in PostgreSQL, the answer cache in Redis, and the
/// `/v1/ai` routes. Usage rows of accounts appear in the data export and go with the account
/// (foreign key CASCADE).
final class GatewayComponents: Sendable {
    let chain: ProviderChain
    let gateway: ChatGateway
    let usage: UsageWriter
    let budgets: BudgetStore
    let report: UsageReport
    let settings: AISettings
    let middleware: [any Middleware]
    let errors: OpenAIErrorMiddleware
    let trips: TripService
    let keyOwners: APIKeyOwners

    var completer: any ChatCompleting { gateway }

    init(services: Services, trips: TripService) throws {
        self.trips = trips
        keyOwners = services.apiKeyOwners
        let logger = Logger(label: "travelsense.ai")
        settings = services.config.ai
        chain = try ProviderChain(settings: settings)
        usage = UsageWriter(pool: services.database, logger: logger)
        budgets = BudgetStore(pool: services.database, usage: usage)
        report = UsageReport(pool: services.database, usage: usage)
        gateway = ChatGateway(
            chain: chain, budgets: budgets, usage: usage,
            cache: ResponseCache(redis: services.redis, ttl: settings.cacheTTL, logger: logger), settings: settings,
            logger: logger)
        errors = OpenAIErrorMiddleware(logger: logger)
        middleware = [errors]
        services.accountData.register("ai_usage") { user, c in try UsageAccountData.section(user, on: c) }
    }

    func register(_ routes: inout Routes) {
        let trips = self.trips
        ChatCompletionRoutes(gateway: gateway, errors: errors) { id, principal in _ = try trips.trip(id, principal) }
            .register(&routes)
        ModelRoutes(chain: chain, middleware: middleware).register(&routes)
        UsageRoutes(report: report, currency: settings.currency, middleware: middleware).register(&routes)
        BudgetRoutes(store: budgets, keyOwners: keyOwners, currency: settings.currency, middleware: middleware)
            .register(&routes)
    }

    /// Writes the usage rows still queued (on shutdown, after the server drained).
    var background: [any BackgroundService] { [usage] }
}
