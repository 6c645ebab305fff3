import Foundation
import HTTP
import Kernel

/// `/v1/admin/*`: for the `admin` role (and API keys with the `admin` scope of an admin).
struct AdminRoutes {
    let service: AuthService

    func register(_ routes: inout Routes) {
        let s = service
        let tags = ["admin"]
        let forbidden = ResponseDoc.problem(403, "Not an administrator")
        routes.get(
            "/v1/admin/users",
            doc: RouteDoc(
                summary: "Search users", tags: tags,
                parameters: [
                    ParameterDoc("q", description: "Part of the e-mail or display name"),
                    ParameterDoc("limit", schema: ["type": "integer"]), ParameterDoc("cursor"),
                ],
                responses: [
                    ResponseDoc(200, "A page of users", schema: AuthSchemas.page(AuthSchemas.adminUser)), forbidden,
                    AuthSchemas.unauthorized,
                ])
        ) { request in
            _ = try request.authenticatedAdmin()
            return try .json(
                s.adminListUsers(query: request.queryValue("q"), page: try PageRequest(request, fields: 1)))
        }
        routes.patch(
            "/v1/admin/users/{id}", bodyLimit: AuthRoutes.bodyLimit,
            doc: RouteDoc(
                summary: "Change a user's role or disable them",
                description: "Either change ends the user's access tokens at once; disabling also ends their sessions.",
                tags: tags,
                requestBody: RequestBodyDoc(
                    schema: AuthSchemas.object(
                        ["role": ["type": "string", "enum": ["user", "admin"]], "disabled": ["type": "boolean"]])),
                responses: [
                    ResponseDoc(200, "The user", schema: AuthSchemas.adminUser), AuthSchemas.invalid,
                    .problem(404, "No such user"), .problem(422, "Cannot change yourself"), forbidden,
                    AuthSchemas.unauthorized,
                ])
        ) { request in
            let admin = try request.authenticatedAdmin()
            guard let id = request.parameters["id"].flatMap(UUID.init(uuidString:)) else {
                throw HTTPError(.notFound, detail: "No such user.")
            }
            return try .json(
                s.adminUpdateUser(
                    admin, id: id, try request.decodeJSON(AdminUpdateUserRequest.self), origin: RequestOrigin(request)))
        }
        routes.get(
            "/v1/admin/audit-log",
            doc: RouteDoc(
                summary: "Security events, newest first", tags: tags,
                parameters: [
                    ParameterDoc("actor", description: "User id", schema: AuthSchemas.uuid),
                    ParameterDoc(
                        "action",
                        schema: ["type": "string", "enum": .array(AuditAction.allCases.map { .string($0.rawValue) })]),
                    ParameterDoc("limit", schema: ["type": "integer"]), ParameterDoc("cursor"),
                ],
                responses: [
                    ResponseDoc(200, "A page of events", schema: AuthSchemas.page(AuthSchemas.auditEntry)), forbidden,
                    AuthSchemas.unauthorized,
                ])
        ) { request in
            _ = try request.authenticatedAdmin()
            var errors: [HTTPError.FieldError] = []
            let actor = request.queryValue("actor").map { UUID(uuidString: $0) }
            if case .some(nil) = actor { errors.append(.init(field: "actor", message: "must be a user id")) }
            let action = request.queryValue("action")
            if let action, AuditAction(rawValue: action) == nil {
                errors.append(.init(field: "action", message: "is not a known action"))
            }
            let page = try PageRequest(request, fields: 1)
            guard errors.isEmpty else { throw HTTPError.invalid(errors) }
            return try .json(s.adminAuditLog(actor: actor ?? nil, action: action, page: page))
        }
    }
}
