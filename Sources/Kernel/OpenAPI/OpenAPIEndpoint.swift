import HTTP
import Synchronization

/// `GET /openapi.json`. The route is registered before the document can be built (the document lists
/// this route too), so the bytes are installed once every route exists and then only read.
public final class OpenAPIEndpoint: Sendable {
    // Written once at start by `publish`, read by every request.
    private let document = Mutex<Response?>(nil)

    public init() {}

    /// Installs the rendered document.
    public func publish(_ doc: JSONValue) {
        var r = Response(status: .ok, contentType: "application/json", body: doc.bytes)
        r.headers.append(.cacheControl, "public, max-age=300")
        document.withLock { $0 = r }
    }

    public func handle(_ request: Request) throws -> Response {
        guard let r = document.withLock({ $0 }) else {
            throw HTTPError(.serviceUnavailable, detail: "The API description is not built yet.")
        }
        return r
    }

    public static let doc = RouteDoc(
        summary: "OpenAPI 3.1 description of this API", tags: ["Operations"],
        responses: [ResponseDoc(200, "The OpenAPI document.", schema: ["type": "object"])])
}
