import Foundation
import HTTP
import Testing

@testable import Kernel

@Suite struct OpenAPITests {
    private func sampleRoutes() -> Routes {
        var routes = Routes()
        routes.get(
            "/v1/trips/{id}",
            doc: RouteDoc(
                summary: "Get a trip", tags: ["Trips"],
                responses: [ResponseDoc(200, "The trip."), .problem(404, "No such trip.")])
        ) { _ in Response() }
        routes.post(
            "/v1/trips", bodyLimit: 4096,
            doc: RouteDoc(
                summary: "Create a trip", tags: ["Trips"],
                parameters: [ParameterDoc("Idempotency-Key", in: .header)],
                requestBody: RequestBodyDoc(
                    schema: ["type": "object", "required": ["title"]], example: ["title": "Lisbon"]),
                responses: [ResponseDoc(201, "Created.")])
        ) { _ in Response() }
        routes.get("/v1/trips/{id}/export.{format}", doc: RouteDoc(summary: "Export", responses: [])) { _ in Response()
        }
        return routes
    }

    private func parse(_ doc: JSONValue) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(doc.bytes)) as? [String: Any])
    }

    /// (method, path) of every operation in a parsed document.
    private func operations(_ doc: [String: Any]) -> Set<String> {
        var out = Set<String>()
        for (path, item) in doc["paths"] as? [String: Any] ?? [:] {
            for method in (item as? [String: Any] ?? [:]).keys { out.insert("\(method.uppercased()) \(path)") }
        }
        return out
    }

    @Test func documentIsValidOpenAPI31() throws {
        let routes = sampleRoutes()
        let doc = try parse(routes.openAPIDocument(title: "T", version: "1"))
        #expect(doc["openapi"] as? String == "3.1.0")
        #expect((doc["info"] as? [String: Any])?["title"] as? String == "T")
        #expect(operations(doc) == Set(routes.router.routes.map { "\($0.method) \($0.path)" }))
        let problem =
            ((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Problem"] as? [String: Any]
        #expect(problem?["type"] as? String == "object")
    }

    @Test func pathParametersAreDerived() throws {
        let doc = try parse(sampleRoutes().openAPIDocument(title: "T", version: "1"))
        let paths = try #require(doc["paths"] as? [String: Any])
        let export = try #require((paths["/v1/trips/{id}/export.{format}"] as? [String: Any])?["get"] as? [String: Any])
        let params = try #require(export["parameters"] as? [[String: Any]])
        #expect(params.map { $0["name"] as? String } == ["id", "format"])
        #expect(params.allSatisfy { $0["in"] as? String == "path" && $0["required"] as? Bool == true })
        let create = try #require((paths["/v1/trips"] as? [String: Any])?["post"] as? [String: Any])
        #expect((create["parameters"] as? [[String: Any]])?.first?["in"] as? String == "header")
        let media =
            ((create["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
            as? [String: Any]
        #expect((media?["example"] as? [String: String]) == ["title": "Lisbon"])
        #expect(create["operationId"] as? String == "post_v1_trips")
    }

    @Test func errorResponsesUseTheProblemSchema() throws {
        let doc = try parse(sampleRoutes().openAPIDocument(title: "T", version: "1"))
        let get = try #require(
            ((doc["paths"] as? [String: Any])?["/v1/trips/{id}"] as? [String: Any])?["get"] as? [String: Any])
        let responses = try #require(get["responses"] as? [String: Any])
        for key in ["404", "default"] {
            let content = (responses[key] as? [String: Any])?["content"] as? [String: Any]
            let schema = (content?["application/problem+json"] as? [String: Any])?["schema"] as? [String: String]
            #expect(schema == ["$ref": "#/components/schemas/Problem"], "\(key)")
        }
    }

    @Test func undocumentedRouterRoutesStillAppear() throws {
        var router = Router()
        router.get("/plain") { _ in Response() }
        var routes = Routes(router: router)
        routes.get("/documented", doc: RouteDoc(summary: "D", responses: [])) { _ in Response() }
        let doc = try parse(routes.openAPIDocument(title: "T", version: "1"))
        #expect(operations(doc) == ["GET /plain", "GET /documented"])
    }

    @Test func defaultBodyLimitApplies() {
        var routes = Routes(defaultBodyLimit: 10)
        routes.post("/a", doc: RouteDoc(summary: "a", responses: [])) { _ in Response() }
        routes.post("/b", bodyLimit: 20, doc: RouteDoc(summary: "b", responses: [])) { _ in Response() }
        #expect(routes.router.routes.map(\.bodyLimit) == [10, 20])
    }

    @Test func applicationDocumentListsEveryRoute() throws {
        var config = AppConfig()
        config.port = 0
        config.handlerThreads = 1
        let app = Application(config: config, logSink: LogCapture().sink) { routes in
            routes.get("/v1/ping/{n}", doc: RouteDoc(summary: "ping", responses: [])) { _ in Response() }
        }
        defer { app.stop() }  // the server's handler threads exist from init on
        let doc = try parse(app.openAPIDocument)
        #expect(doc["openapi"] as? String == "3.1.0")
        let expected = Set(app.routes.map { "\($0.method) \($0.path)" })
        #expect(
            expected.isSuperset(of: [
                "GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json", "GET /v1/ping/{n}",
            ]))
        #expect(operations(doc) == expected)
    }
}
