import Foundation
import Trips

/// Makes the plan a generation job stores: the model's when a provider is configured and its plan
/// passes every check (after at most `repairs` repairs); otherwise the built-in planner's, with the
/// reason and the model's last violations recorded. The job's seam for tests: give it a scripted
/// `ChatCompleting`.
struct PlanGenerator: Sendable {
    var models: any ChatCompleting
    var repairs: Int
    var model: String?
    /// Place names to coordinates (the offline gazetteer), for model places and must-includes.
    var lookup: @Sendable (String) -> PlanPlace?

    /// The model's plan when a provider is configured and its plan passes (after repairs); otherwise
    /// the built-in planner's, with the reason and the model's last violations recorded.
    func generate(trip: PlanningTrip, request: PlanRequest, caller: AICaller) -> GeneratedPlan {
        let validator = PlanValidator(trip: trip, request: request)
        var fallback = "no AI provider is configured"
        var outcome: ModelPlanOutcome?
        if models.isConfigured {
            let result = ModelPlanner(models: models, repairs: repairs, model: model).plan(
                trip: trip, request: request, caller: caller, resolver: PlanResolver(trip: trip, lookup: lookup))
            if let items = result.items {
                return GeneratedPlan(
                    planner: .model, model: result.model, items: items, checks: validator.validate(items), notes: [],
                    fallbackReason: nil, modelViolations: [], modelAttempts: result.attempts)
            }
            fallback = result.failure ?? "the model did not produce a valid plan"
            outcome = result
        }
        var resolved: [String: PlanPlace] = [:]
        for wanted in request.mustInclude where UUID(uuidString: wanted) == nil {
            if let place = lookup(wanted) { resolved[wanted] = place }
        }
        let plan = BuiltinPlanner(trip: trip, request: request, resolvedPlaces: resolved).plan()
        return GeneratedPlan(
            planner: .builtin, model: outcome?.model, items: plan.items, checks: validator.validate(plan.items),
            notes: plan.notes, fallbackReason: fallback, modelViolations: outcome?.lastViolations ?? [],
            modelAttempts: outcome?.attempts ?? 0)
    }
}
