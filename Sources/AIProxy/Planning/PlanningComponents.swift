import HTTP
import Jobs
import Kernel
import Trips

/// Planning as the module wires it: the service, its generation job on the shared job system, and
/// the routes (generation and its job, proposals, suggestions).
final class PlanningComponents: Sendable {
    let service: PlanningService
    let suggestions: Suggestions
    let idempotent: [any Middleware]

    init(services: Services, trips: TripService, models: any ChatCompleting, idempotency: IdempotencyMiddleware) throws
    {
        let config = services.config
        service = PlanningService(
            pool: services.database, jobs: services.jobs.client, trips: trips, models: models,
            repairs: config.ai.plannerRepairs, plannerModel: config.ai.plannerModel,
            gazetteerFile: config.trips.gazetteerFile)
        suggestions = Suggestions(trips: trips, models: models)
        idempotent = [idempotency]
        let service = self.service
        services.jobs.register(
            kind: PlanningService.generateKind, args: PlanningService.GenerateArgs.self,
            timeout: PlanningService.jobTimeout
        ) { args, job in
            try service.run(args, job: job)
        }
    }

    func register(_ routes: inout Routes) {
        PlanningRoutes(service: service, idempotent: idempotent).register(&routes)
        ProposalRoutes(service: service, idempotent: idempotent).register(&routes)
        SuggestRoutes(suggestions: suggestions).register(&routes)
    }
}
