import Foundation
import HTTP
import Kernel

/// `/v1/api-keys`: keys for scripts and integrations, managed from a signed-in session.
struct APIKeyRoutes {
    let service: AuthService

    func register(_ routes: inout Routes) {
        let s = service
        let tags = ["api-keys"]
        routes.post(
            "/v1/api-keys", bodyLimit: AuthRoutes.bodyLimit,
            doc: RouteDoc(
                summary: "Create an API key",
                description: "The secret is in this response only; use it as a Bearer token.",
                tags: tags,
                requestBody: RequestBodyDoc(
                    schema: AuthSchemas.object(
                        ["name": AuthSchemas.string, "scopes": AuthSchemas.scopes, "expires_at": AuthSchemas.dateTime],
                        required: ["name", "scopes"])),
                responses: [
                    ResponseDoc(201, "Created", schema: AuthSchemas.createdAPIKey), AuthSchemas.invalid,
                    AuthSchemas.unauthorized,
                ])
        ) { request in
            try .json(
                s.createAPIKey(
                    try request.authenticated(), try request.decodeJSON(CreateAPIKeyRequest.self),
                    origin: RequestOrigin(request)), status: .created)
        }
        routes.get(
            "/v1/api-keys",
            doc: RouteDoc(
                summary: "The caller's API keys (without secrets)", tags: tags,
                parameters: [ParameterDoc("limit", schema: ["type": "integer"]), ParameterDoc("cursor")],
                responses: [
                    ResponseDoc(200, "A page of keys", schema: AuthSchemas.page(AuthSchemas.apiKey)),
                    AuthSchemas.unauthorized,
                ])
        ) { request in
            try .json(s.listAPIKeys(try request.authenticated(), page: try PageRequest(request, fields: 1)))
        }
        routes.delete(
            "/v1/api-keys/{id}",
            doc: RouteDoc(
                summary: "Revoke an API key", tags: tags,
                responses: [
                    ResponseDoc(204, "Revoked", contentType: nil), .problem(404, "No such key"),
                    AuthSchemas.unauthorized,
                ])
        ) { request in
            let principal = try request.authenticated()
            guard let id = request.parameters["id"].flatMap(UUID.init(uuidString:)) else {
                throw HTTPError(.notFound, detail: "No such API key.")
            }
            try s.revokeAPIKey(principal, id: id, origin: RequestOrigin(request))
            return .noContent
        }
    }
}
