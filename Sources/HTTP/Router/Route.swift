/// A registered route, as the OpenAPI document and tests see it.
public struct RouteInfo: Sendable, Hashable {
    public let method: HTTPMethod
    /// The template, e.g. `/v1/trips/{id}`.
    public let path: String
    public let bodyLimit: Int
}

/// What routing decided for one request, computed on the I/O queue before the body is read so the
/// route's body limit applies from `Content-Length` on.
struct RouteMatch: Sendable {
    let handler: Handler
    let template: String
    let bodyLimit: Int
    var parameters: PathParameters
}
