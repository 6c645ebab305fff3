import Foundation
import HTTP
import Kernel
import Trips

/// `POST /v1/trips/{id}/itinerary/generate` and `GET /v1/jobs/{id}`: asking for a plan, and following
/// the job that makes it.
struct PlanningRoutes {
    let service: PlanningService
    let idempotent: [any Middleware]

    /// Largest generate body: a few lists of short strings.
    static let bodyLimit = 64 * 1024

    func register(_ routes: inout Routes) {
        let s = service
        typealias S = PlanningSchemas
        routes.post(
            "/v1/trips/{id}/itinerary/generate", bodyLimit: Self.bodyLimit, middleware: idempotent,
            doc: RouteDoc(
                summary: "Generate an itinerary proposal (editor; a job)",
                description: """
                    The job asks the configured model for a plan, checks it against the hard constraints and \
                    sends the violations back for a repair a bounded number of times; without a provider (or \
                    when the model fails) the built-in planner makes it. Poll the Location.
                    """, tags: ["planning"],
                parameters: [ParameterDoc("Idempotency-Key", in: .header)],
                requestBody: RequestBodyDoc(schema: S.generate),
                responses: [
                    ResponseDoc(202, "Queued", schema: S.job, headers: [("Location", "The job")]),
                    .problem(400, "Invalid fields, each named"), .problem(403, "A viewer cannot generate"),
                    .problem(404, "No such trip (or not a member)"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .ai)
            let trip = try request.uuidParameter("id", "trip")
            let view = try s.generate(trip, body: try request.jsonValue(), p)
            var response = try Response.json(view, status: .accepted)
            response.headers.append(.location, "/v1/jobs/\(view.id)")
            return response
        }
        routes.get(
            "/v1/jobs/{id}",
            doc: RouteDoc(
                summary: "A generation job: state, attempts, errors and the proposal once done", tags: ["planning"],
                responses: [
                    ResponseDoc(200, "The job", schema: S.job),
                    .problem(404, "No such job (only its requester sees it)"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .ai)
            var response = try Response.json(try s.job(try request.uuidParameter("id", "job"), p))
            response.headers.append(.cacheControl, "no-store")
            return response
        }
    }
}

extension Request {
    /// A UUID path parameter; anything else cannot name a row: 404.
    func uuidParameter(_ name: String, _ what: String) throws -> UUID {
        guard let text = parameters[name], let id = UUID(uuidString: text) else {
            throw HTTPError(.notFound, detail: "No such \(what).")
        }
        return id
    }
}
