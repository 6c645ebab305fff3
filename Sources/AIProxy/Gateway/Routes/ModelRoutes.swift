import Foundation
import HTTP
import Kernel

/// `GET /v1/ai/models` and `GET /v1/ai/models/{id}` in OpenAI's list shape; `owned_by` is the first
/// provider serving the model. Empty (not an error) when no provider is configured.
struct ModelRoutes {
    let chain: ProviderChain
    let middleware: [any Middleware]
    /// OpenAI's `created`: models have no creation time here, so the time the gateway started.
    let created = Int(Date().timeIntervalSince1970)

    func register(_ routes: inout Routes) {
        let chain = self.chain
        let created = self.created
        @Sendable func model(_ entry: (id: String, providers: [String])) -> JSONValue {
            [
                "id": .string(entry.id), "object": "model", "created": .int(created),
                "owned_by": .string(entry.providers.first ?? ""),
            ]
        }
        routes.get(
            "/v1/ai/models", middleware: middleware,
            doc: RouteDoc(
                summary: "The models the configured providers serve (OpenAI list shape)", tags: ["ai"],
                responses: [ResponseDoc(200, "{object: list, data: [{id, object, created, owned_by}]}")])
        ) { request in
            _ = try request.authenticated(scope: .ai)
            let list: JSONValue = ["object": "list", "data": .array(chain.models.map(model))]
            return Response(status: .ok, contentType: "application/json", body: list.bytes)
        }
        routes.get(
            "/v1/ai/models/{id}", middleware: middleware,
            doc: RouteDoc(
                summary: "One model", tags: ["ai"],
                responses: [ResponseDoc(200, "{id, object, created, owned_by}"), .problem(404, "Unknown model")])
        ) { request in
            _ = try request.authenticated(scope: .ai)
            let id = request.parameters["id"] ?? ""
            guard let entry = chain.models.first(where: { $0.id == id }) else { throw GatewayError.unknownModel(id) }
            return Response(status: .ok, contentType: "application/json", body: model(entry).bytes)
        }
    }
}
