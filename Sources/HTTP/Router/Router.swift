/// Collects routes and middleware; the server compiles it into a `CompiledRouter` when it starts.
///
/// Paths are templates of `/`-separated segments; a segment may hold one `{name}` parameter with a
/// literal prefix and suffix (`{token}.ics`, `export.{format}`). Literal segments win over parameters,
/// and longer prefixes/suffixes over shorter ones. HEAD is served by the GET route (body dropped), and
/// OPTIONS on a known path answers 204 with `Allow` unless a route handles it.
public struct Router: Sendable {
    public static let defaultBodyLimit = 1 << 20

    struct Entry: Sendable {
        let info: RouteInfo
        let handler: Handler
    }

    var entries: [Entry] = []
    /// Runs around every request, matched or not (request id, logging, metrics, errors).
    public var middleware: [any Middleware] = []

    public init() {}

    public var routes: [RouteInfo] { entries.map(\.info) }

    /// Adds a route; `middleware` wraps this route only, inside the global middleware.
    public mutating func add(
        _ method: HTTPMethod, _ path: String, bodyLimit: Int = Router.defaultBodyLimit,
        middleware: [any Middleware] = [], _ handler: @escaping Handler
    ) {
        precondition(path.hasPrefix("/"), "route paths start with /: \(path)")
        precondition(
            !entries.contains { $0.info.method == method && $0.info.path == path }, "duplicate route \(method) \(path)")
        entries.append(
            Entry(
                info: RouteInfo(method: method, path: path, bodyLimit: bodyLimit), handler: middleware.wrapping(handler)
            ))
    }

    public mutating func get(_ path: String, middleware: [any Middleware] = [], _ handler: @escaping Handler) {
        add(.get, path, middleware: middleware, handler)
    }

    public mutating func post(
        _ path: String, bodyLimit: Int = Router.defaultBodyLimit, middleware: [any Middleware] = [],
        _ handler: @escaping Handler
    ) {
        add(.post, path, bodyLimit: bodyLimit, middleware: middleware, handler)
    }

    public mutating func put(
        _ path: String, bodyLimit: Int = Router.defaultBodyLimit, middleware: [any Middleware] = [],
        _ handler: @escaping Handler
    ) {
        add(.put, path, bodyLimit: bodyLimit, middleware: middleware, handler)
    }

    public mutating func patch(
        _ path: String, bodyLimit: Int = Router.defaultBodyLimit, middleware: [any Middleware] = [],
        _ handler: @escaping Handler
    ) {
        add(.patch, path, bodyLimit: bodyLimit, middleware: middleware, handler)
    }

    public mutating func delete(_ path: String, middleware: [any Middleware] = [], _ handler: @escaping Handler) {
        add(.delete, path, middleware: middleware, handler)
    }

    public func compile() -> CompiledRouter { CompiledRouter(self) }
}
