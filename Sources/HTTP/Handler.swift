/// The one handler shape (as in Go's net/http): a request in, a response out.
///
/// Handlers run on the server's bounded handler pool and may block on PostgreSQL or Redis. A thrown
/// error becomes a problem+json response (see `HTTPError` and the error middleware).
public typealias Handler = @Sendable (Request) throws -> Response

/// A handler that wraps a handler: logging, metrics, authentication, compression…
public protocol Middleware: Sendable {
    func respond(to request: Request, next: Handler) throws -> Response
}

extension Array where Element == any Middleware {
    /// Wraps `handler` so that the first middleware runs outermost.
    public func wrapping(_ handler: @escaping Handler) -> Handler {
        reversed().reduce(handler) { next, middleware in
            { request in try middleware.respond(to: request, next: next) }
        }
    }
}
