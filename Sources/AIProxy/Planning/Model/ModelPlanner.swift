import Foundation
import Kernel
import Trips

/// How asking the model went.
struct ModelPlanOutcome: Sendable {
    /// The valid plan, when the model produced one.
    var items: [PlanItem]?
    /// The model that answered last (from the completion), if any did.
    var model: String?
    /// Completions requested.
    var attempts: Int
    /// Why the built-in planner has to take over, when it does.
    var failure: String?
    /// What was wrong with the model's last answer (`check (item n): message` lines, or why it could
    /// not be read); empty when it answered with a valid plan or never answered.
    var lastViolations: [String]
}

/// Asks the model for a plan, checks it, and sends the violations back for a repair at most
/// `repairs` times. Any gateway error (no provider, every provider failed, a budget) ends the
/// attempt at once: the caller falls back to the built-in planner.
struct ModelPlanner {
    var models: any ChatCompleting
    var repairs: Int
    var model: String?

    func plan(
        trip: PlanningTrip, request: PlanRequest, caller: AICaller, resolver: PlanResolver
    ) -> ModelPlanOutcome {
        let validator = PlanValidator(trip: trip, request: request)
        var body = PlanPrompt.request(trip: trip, request: request, model: model)
        var outcome = ModelPlanOutcome(items: nil, model: nil, attempts: 0, failure: nil, lastViolations: [])
        while true {
            outcome.attempts += 1
            let completion: JSONValue
            do {
                completion = try models.complete(body, for: caller)
            } catch {
                outcome.failure = "the model was unavailable: \(error)"
                return outcome
            }
            var answer = ""
            var problems: [String]
            do {
                let (text, answeredBy) = try ModelReply.text(completion)
                answer = text
                outcome.model = answeredBy ?? outcome.model
                let items = resolver.resolve(try ModelReply.items(text))
                let checks = validator.validate(items)
                if checks.allPassed {
                    outcome.items = items
                    outcome.lastViolations = []
                    return outcome
                }
                problems = checks.failed.violationLines
            } catch {
                problems = ["the answer could not be read: \(error)"]
            }
            outcome.lastViolations = problems
            guard outcome.attempts <= repairs else {
                outcome.failure =
                    "the model's plan still broke \(problems.count) rule(s) after \(repairs) repair(s)"
                return outcome
            }
            body = PlanPrompt.repair(body, answer: answer, violations: problems)
        }
    }
}
