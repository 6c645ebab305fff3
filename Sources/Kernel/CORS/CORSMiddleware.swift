import Foundation
import HTTP

/// CORS for browser clients (DESIGN §6): only origins in `CORS_ORIGINS` get `Access-Control-*`
/// headers, with credentials; any other origin gets none, so the browser keeps the response from the
/// page. Preflights are the router's own `OPTIONS` answer (its `Allow` lists the route's methods)
/// with the CORS headers added. Requests without `Origin` (curl, mobile apps) are untouched. Origins
/// match exactly (scheme, host, port); there is no wildcard, since every answer allows credentials.
public struct CORSMiddleware: Middleware {
    /// Request headers a page may send; anything else in a preflight is left out of the answer.
    static let allowedHeaders: Set<String> = [
        "authorization", "content-type", "idempotency-key", "if-match", "if-none-match", "x-request-id",
        "traceparent",
    ]
    /// Response headers a page may read besides the CORS-safelisted ones.
    static let exposedHeaders =
        "ETag, Location, Retry-After, RateLimit, RateLimit-Policy, X-Request-ID, WWW-Authenticate"
    /// How long a browser may cache a preflight, in seconds.
    static let maxAge = "600"

    let origins: Set<String>

    public init(origins: [String]) {
        self.origins = Set(origins)
    }

    public func respond(to request: Request, next: Handler) throws -> Response {
        guard !origins.isEmpty, let origin = request.headers["Origin"] else { return try next(request) }
        let allowed = origins.contains(origin)
        let preflight = request.method == .options && request.headers.contains("Access-Control-Request-Method")
        // Outside the error middleware: error responses (a 401 or 429 the page must read) get headers too.
        var response = try next(request)
        response.headers.append(
            .vary, preflight ? "Origin, Access-Control-Request-Method, Access-Control-Request-Headers" : "Origin")
        guard allowed else { return response }
        response.headers.append("Access-Control-Allow-Origin", origin)
        response.headers.append("Access-Control-Allow-Credentials", "true")
        if preflight {
            if let methods = response.headers[.allow] {
                response.headers.append("Access-Control-Allow-Methods", methods)
            }
            let requested = (request.headers["Access-Control-Request-Headers"] ?? "")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { Self.allowedHeaders.contains($0) }
            if !requested.isEmpty {
                response.headers.append("Access-Control-Allow-Headers", requested.joined(separator: ", "))
            }
            response.headers.append("Access-Control-Max-Age", Self.maxAge)
        } else {
            response.headers.append("Access-Control-Expose-Headers", Self.exposedHeaders)
        }
        return response
    }
}
