import Foundation
import HTTP
import Kernel
import Trips

/// `/v1/trips/{id}/proposals…`: read (any member), apply and discard (editors).
struct ProposalRoutes {
    let service: PlanningService
    let idempotent: [any Middleware]

    func register(_ routes: inout Routes) {
        let s = service
        typealias S = PlanningSchemas
        let tags = ["planning"]
        routes.get(
            "/v1/trips/{id}/proposals",
            doc: RouteDoc(
                summary: "The trip's proposals, newest first", tags: tags,
                parameters: [ParameterDoc("limit", schema: ["type": "integer"]), ParameterDoc("cursor")],
                responses: [
                    ResponseDoc(
                        200, "A page of proposals",
                        schema: [
                            "type": "object",
                            "properties": [
                                "data": ["type": "array", "items": S.proposal],
                                "next_cursor": ["type": ["string", "null"]],
                            ],
                        ]), .problem(404, "No such trip (or not a member)"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(
                s.proposals(try request.uuidParameter("id", "trip"), page: try PageRequest(request, fields: 1), p))
        }
        routes.get(
            "/v1/trips/{id}/proposals/{pid}",
            doc: RouteDoc(
                summary: "A proposal: its plan, checks, planner and status", tags: tags,
                responses: [ResponseDoc(200, "The proposal", schema: S.proposal), .problem(404, "No such proposal")])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(
                s.proposal(try request.uuidParameter("id", "trip"), try request.uuidParameter("pid", "proposal"), p))
        }
        routes.post(
            "/v1/trips/{id}/proposals/{pid}/apply", bodyLimit: 0, middleware: idempotent,
            doc: RouteDoc(
                summary: "Apply a proposal to the trip, all or nothing (editor)", tags: tags,
                responses: [
                    ResponseDoc(
                        200, "Applied",
                        schema: [
                            "type": "object",
                            "properties": [
                                "proposal": S.proposal, "items": ["type": "array", "items": ["type": "object"]],
                            ],
                        ]),
                    .problem(403, "A viewer cannot apply"), .problem(404, "No such proposal"),
                    .problem(409, "Already applied or discarded, or the trip changed and the plan no longer holds"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            return try .json(
                s.apply(try request.uuidParameter("id", "trip"), try request.uuidParameter("pid", "proposal"), p))
        }
        routes.delete(
            "/v1/trips/{id}/proposals/{pid}",
            doc: RouteDoc(
                summary: "Discard a proposal (editor)", tags: tags,
                responses: [
                    ResponseDoc(200, "Discarded", schema: S.proposal), .problem(403, "A viewer cannot discard"),
                    .problem(404, "No such proposal"), .problem(409, "Already applied or discarded"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            return try .json(
                s.discard(try request.uuidParameter("id", "trip"), try request.uuidParameter("pid", "proposal"), p))
        }
    }
}
