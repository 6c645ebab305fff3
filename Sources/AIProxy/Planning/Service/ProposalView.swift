import Foundation
import Kernel
import Postgres
import Trips

/// A proposal as the API shows it: the plan, every check with its result, who planned it (and, when
/// the built-in planner took over, why and what the model got wrong last), and whether it was applied.
struct ProposalView: Encodable, Sendable {
    var id: String
    var tripId: String
    var status: String
    var planner: String
    var model: String?
    var fallbackReason: String?
    var modelAttempts: Int
    var modelViolations: [String]
    var request: PlanRequest
    var plan: [PlanItem]
    var checks: [PlanCheck]
    /// Every check passed.
    var passed: Bool
    /// What the built-in planner left out, and why.
    var notes: [String]
    var tripVersion: Int64
    var createdBy: String
    var createdAt: Date
    var appliedAt: Date?
    var discardedAt: Date?
}

/// An `ai_proposals` row.
struct ProposalRow: Decodable {
    var id: String
    var tripId: String
    var createdBy: String
    var request: String
    var planner: String
    var model: String?
    var fallbackReason: String?
    var modelViolations: String
    var modelAttempts: Int
    var plan: String
    var checks: String
    var notes: String
    var status: String
    var tripVersion: Int64
    var createdAt: Date
    var appliedAt: Date?
    var discardedAt: Date?

    static let columns = """
        id::text AS id, trip_id::text AS trip_id, created_by::text AS created_by, request::text AS request, planner,
        model, fallback_reason, model_violations::text AS model_violations, model_attempts, plan::text AS plan,
        checks::text AS checks, notes::text AS notes, status, trip_version, created_at, applied_at, discarded_at
        """

    func decoded<T: Decodable>(_ text: String, as type: T.Type) throws -> T {
        try JSONBody.decode(T.self, from: Array(text.utf8))
    }

    var view: ProposalView {
        get throws {
            let checks = try decoded(checks, as: [PlanCheck].self)
            return ProposalView(
                id: id, tripId: tripId, status: status, planner: planner, model: model, fallbackReason: fallbackReason,
                modelAttempts: modelAttempts, modelViolations: try decoded(modelViolations, as: [String].self),
                request: try decoded(request, as: PlanRequest.self), plan: try decoded(plan, as: [PlanItem].self),
                checks: checks, passed: checks.allPassed, notes: try decoded(notes, as: [String].self),
                tripVersion: tripVersion, createdBy: createdBy, createdAt: createdAt, appliedAt: appliedAt,
                discardedAt: discardedAt)
        }
    }
}

/// `GET /v1/jobs/{id}`: a generation request's job, as its requester sees it.
struct PlanJobView: Encodable, Sendable {
    struct AttemptError: Encodable, Sendable {
        var attempt: Int
        var at: Date
        var message: String
    }

    var id: String
    var kind: String
    var tripId: String
    /// The job's state: available, scheduled, running, retryable, completed, discarded, cancelled.
    var state: String
    var attempts: Int
    var maxAttempts: Int
    var errors: [AttemptError]
    var createdAt: Date
    var finalizedAt: Date?
    var proposalId: String?
    /// The proposal, once there is one.
    var resultUrl: String?
}
