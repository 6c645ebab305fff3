import Foundation
import HTTP
import Jobs
import Kernel
import Postgres
import Trips

/// What the generation job stores as a proposal.
struct GeneratedPlan: Sendable {
    enum Planner: String, Sendable { case builtin, model }

    var planner: Planner
    var model: String?
    var items: [PlanItem]
    var checks: [PlanCheck]
    var notes: [String]
    var fallbackReason: String?
    var modelViolations: [String]
    var modelAttempts: Int
}

/// Why a generation attempt failed, in words safe to show the requester (`GET /v1/jobs/{id}`): the
/// job row keeps this text, never a database or internal error.
struct PlanningJobFailure: Error, CustomStringConvertible {
    var description: String
}

extension PlanningService {
    /// The `ai_plan_generate` job: plans as the requester (a trip they no longer see cancels it) and
    /// stores the proposal and links it to its request in one transaction. A request that already has
    /// its proposal is left alone, so a repeated delivery plans nothing twice.
    func run(_ args: GenerateArgs, job: Job) throws {
        do {
            try plan(args)
        } catch let cancel as JobCancel {
            throw cancel
        } catch let error as HTTPError {
            throw PlanningJobFailure(description: error.detail ?? error.title)
        } catch {
            logger.error(
                "itinerary generation failed", metadata: ["request": "\(args.requestId)", "error": "\(error)"])
            throw PlanningJobFailure(description: "The plan could not be made (an internal error); it will be retried.")
        }
    }

    private func plan(_ args: GenerateArgs) throws {
        guard
            let row = try pool.query(
                """
                SELECT user_id, api_key_id, trip_id, request::text FROM ai_plan_requests
                WHERE id = $1 AND proposal_id IS NULL
                """, [args.requestId]
            ).first
        else { return }
        let user: UUID = try row.decode(0)
        let key: UUID? = try row.decode(1)
        let tripID: UUID = try row.decode(2)
        let request = try JSONBody.decode(PlanRequest.self, from: Array(try row.decode(3, as: String.self).utf8))
        // Reads the trip with the requester's rights, no more: a job is not a way around membership.
        let principal = Principal(
            userID: user, role: .user,
            credential: .accessToken(id: "ai_plan:\(args.requestId.uuidString.lowercased())"),
            scopes: [.tripsRead, .ai])
        let itinerary: ItineraryView
        do {
            itinerary = try trips.itineraryView(tripID, principal)
        } catch let error as HTTPError where error.status == .notFound {
            throw JobCancel("the trip is no longer visible to the requester")
        }
        let trip = PlanningTrip(itinerary)
        let generator = PlanGenerator(
            models: models, repairs: repairs, model: plannerModel, lookup: placeLookup(near: trip.destinationCoordinate)
        )
        let generated = generator.generate(
            trip: trip, request: request, caller: AICaller(userID: user, apiKeyID: key, tripID: tripID))
        let proposalID = UUIDv7.make()
        try pool.transaction { c in
            guard
                !(try c.query(
                    "SELECT 1 FROM ai_plan_requests WHERE id = $1 AND proposal_id IS NULL FOR UPDATE", [args.requestId]
                ).isEmpty)
            else { return }
            try c.execute(
                """
                INSERT INTO ai_proposals (id, trip_id, created_by, request, planner, model, fallback_reason,
                    model_violations, model_attempts, plan, checks, notes, trip_version)
                VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8::jsonb, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13)
                """,
                [
                    proposalID, tripID, user, try PostgresJSON(request), generated.planner.rawValue, generated.model,
                    generated.fallbackReason, try PostgresJSON(generated.modelViolations), generated.modelAttempts,
                    try PostgresJSON(generated.items), try PostgresJSON(generated.checks),
                    try PostgresJSON(generated.notes), trip.version,
                ])
            try c.execute("UPDATE ai_plan_requests SET proposal_id = $2 WHERE id = $1", [args.requestId, proposalID])
        }
        logger.info(
            "itinerary proposal stored",
            metadata: [
                "proposal": "\(proposalID)", "planner": "\(generated.planner.rawValue)",
                "passed": "\(generated.checks.allPassed)",
            ])
    }

    /// Place names through the offline gazetteer (loaded on first use, shared with place search): the
    /// best hit counts only when its name is the name asked for and it lies near the destination.
    func placeLookup(near: Coordinate?) -> @Sendable (String) -> PlanPlace? {
        let file = gazetteerFile
        let logger = self.logger
        return { name in
            let gazetteer: Gazetteer?
            do {
                gazetteer = try Gazetteer.shared(configured: file)
            } catch {
                logger.warning("gazetteer unavailable for planning", metadata: ["error": "\(error)"])
                return nil
            }
            guard let hit = gazetteer?.search(name, near: near, limit: 1).first, PlanText.equal(hit.name, name)
            else { return nil }
            if let near, Geodesy.distanceMeters(near, hit.coordinate) > Self.gazetteerRadiusMeters { return nil }
            return PlanPlace(name: hit.name, lat: hit.coordinate.latitude, lon: hit.coordinate.longitude)
        }
    }
}
