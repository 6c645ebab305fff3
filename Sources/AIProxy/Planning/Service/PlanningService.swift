import Foundation
import HTTP
import Jobs
import Kernel
import Logging
import Postgres
import Trips

/// Itinerary planning: generation requests (a row and its job committed together), the job that
/// plans (model first when configured, checked and repaired, else or then the built-in planner), and
/// proposals (read by any member, applied or discarded by editors).
///
/// Trip access is always decided by Trips in SQL: reads of the trip go through `TripService`, and
/// this module's rows are read and written inside `TripService.withTripAccess` or `applyPlan`.
final class PlanningService: Sendable {
    static let generateKind = "ai_plan_generate"
    static let jobKindName = "itinerary.generate"
    /// Attempts of a generation: a crash or a database outage is retried; model trouble is not an
    /// error (the built-in planner takes over).
    static let maxAttempts = 3
    /// One attempt may call the model `1 + plannerRepairs` times.
    static let jobTimeout: Duration = .seconds(900)
    /// Gazetteer hits farther than this from the trip's destination are not taken for a place name.
    static let gazetteerRadiusMeters = 100_000.0
    static let notFound = HTTPError(.notFound, detail: "No such proposal.")
    static let noJob = HTTPError(.notFound, detail: "No such job.")

    let pool: PostgresPool
    let jobs: JobClient
    let trips: TripService
    let models: any ChatCompleting
    let repairs: Int
    let plannerModel: String?
    let gazetteerFile: String?
    let logger = Logger(label: "travelsense.ai.planning")

    struct GenerateArgs: Codable, Sendable {
        var requestId: UUID
    }

    init(
        pool: PostgresPool, jobs: JobClient, trips: TripService, models: any ChatCompleting, repairs: Int,
        plannerModel: String?, gazetteerFile: String?
    ) {
        self.pool = pool
        self.jobs = jobs
        self.trips = trips
        self.models = models
        self.repairs = repairs
        self.plannerModel = plannerModel
        self.gazetteerFile = gazetteerFile
    }

    // MARK: - Generation requests

    /// Checks the body against the trip (every bad field at once), then stores the request and its
    /// job in one transaction, as an editor of the trip (404 for non-members, 403 for viewers).
    func generate(_ tripID: UUID, body: JSONValue, _ principal: Principal) throws -> PlanJobView {
        let trip = PlanningTrip(try trips.itineraryView(tripID, principal))
        let request = try PlanRequestParser.parse(body, trip: trip)
        let id = UUIDv7.make()
        var key: UUID?
        if case .apiKey(let k) = principal.credential { key = k }
        try trips.withTripAccess(tripID, principal, needs: .editor, action: "generate itineraries") { _, c in
            let job = try jobs.enqueue(
                on: c, Self.generateKind, args: GenerateArgs(requestId: id),
                options: EnqueueOptions(maxAttempts: Self.maxAttempts))
            try c.execute(
                """
                INSERT INTO ai_plan_requests (id, job_id, user_id, api_key_id, trip_id, request)
                VALUES ($1, $2, $3, $4, $5, $6::jsonb)
                """, [id, job.id, principal.userID, key, tripID, try PostgresJSON(request)])
        }
        return try self.job(id, principal)
    }

    /// The request's job as its requester sees it; 404 for anyone else, and once the requester can no
    /// longer see the trip.
    func job(_ id: UUID, _ principal: Principal) throws -> PlanJobView {
        guard
            let row = try pool.query(
                """
                SELECT job_id, trip_id, created_at FROM ai_plan_requests
                WHERE id = $1 AND user_id = $2
                """, [id, principal.userID]
            ).first
        else { throw Self.noJob }
        let jobID: Int64 = try row.decode(0)
        let tripID: UUID = try row.decode(1)
        do {
            try trips.withTripAccess(tripID, principal, needs: .viewer, action: "read jobs") { _, _ in }
        } catch let error as HTTPError where error.status == .notFound {
            throw Self.noJob
        }
        // The job first, then its proposal: a job is marked completed only after its proposal committed,
        // so a completed job read here always comes with its proposal.
        let record = try jobs.job(id: jobID)
        let proposal =
            try pool.query(
                "SELECT proposal_id::text FROM ai_plan_requests WHERE id = $1", [id]
            ).first.map { try $0.decode(0, as: String?.self) } ?? nil
        let trip = tripID.uuidString.lowercased()
        return PlanJobView(
            id: id.uuidString.lowercased(), kind: Self.jobKindName, tripId: trip,
            // A pruned job row: what its request says is all there is.
            state: record?.state.rawValue
                ?? (proposal == nil ? JobState.discarded.rawValue : JobState.completed.rawValue),
            attempts: record?.attempt ?? 0, maxAttempts: record?.maxAttempts ?? Self.maxAttempts,
            errors: (record?.errors ?? []).map { .init(attempt: $0.attempt, at: $0.at, message: $0.error) },
            createdAt: try row.decode(2), finalizedAt: record?.finalizedAt, proposalId: proposal,
            resultUrl: proposal.map { "/v1/trips/\(trip)/proposals/\($0)" })
    }
}
