import HTTP

/// Registers routes and their documentation together, so the OpenAPI document cannot drift from the
/// router: every module adds its routes through this, and `/openapi.json` is built from it.
public struct Routes: Sendable {
    public struct Key: Hashable, Sendable {
        public let method: HTTPMethod
        public let path: String
    }

    public private(set) var router: Router
    public private(set) var docs: [Key: RouteDoc] = [:]
    /// Body limit for routes registered without one (`HTTP_MAX_BODY_BYTES`).
    public var defaultBodyLimit: Int

    public init(router: Router = Router(), defaultBodyLimit: Int = Router.defaultBodyLimit) {
        self.router = router
        self.defaultBodyLimit = defaultBodyLimit
    }

    /// The global middleware (outermost first).
    public var middleware: [any Middleware] {
        get { router.middleware }
        set { router.middleware = newValue }
    }

    /// Adds a route with its documentation; `middleware` wraps this route only.
    public mutating func add(
        _ method: HTTPMethod, _ path: String, bodyLimit: Int? = nil, middleware: [any Middleware] = [], doc: RouteDoc,
        _ handler: @escaping Handler
    ) {
        router.add(method, path, bodyLimit: bodyLimit ?? defaultBodyLimit, middleware: middleware, handler)
        docs[Key(method: method, path: path)] = doc
    }

    public mutating func get(
        _ path: String, middleware: [any Middleware] = [], doc: RouteDoc, _ handler: @escaping Handler
    ) {
        add(.get, path, middleware: middleware, doc: doc, handler)
    }

    public mutating func post(
        _ path: String, bodyLimit: Int? = nil, middleware: [any Middleware] = [], doc: RouteDoc,
        _ handler: @escaping Handler
    ) {
        add(.post, path, bodyLimit: bodyLimit, middleware: middleware, doc: doc, handler)
    }

    public mutating func put(
        _ path: String, bodyLimit: Int? = nil, middleware: [any Middleware] = [], doc: RouteDoc,
        _ handler: @escaping Handler
    ) {
        add(.put, path, bodyLimit: bodyLimit, middleware: middleware, doc: doc, handler)
    }

    public mutating func patch(
        _ path: String, bodyLimit: Int? = nil, middleware: [any Middleware] = [], doc: RouteDoc,
        _ handler: @escaping Handler
    ) {
        add(.patch, path, bodyLimit: bodyLimit, middleware: middleware, doc: doc, handler)
    }

    public mutating func delete(
        _ path: String, middleware: [any Middleware] = [], doc: RouteDoc, _ handler: @escaping Handler
    ) {
        add(.delete, path, middleware: middleware, doc: doc, handler)
    }

    /// The OpenAPI document for every route of the router (documented or not).
    public func openAPIDocument(title: String, version: String, description: String? = nil) -> JSONValue {
        OpenAPIDocument.build(
            title: title, version: version, description: description, routes: router.routes, docs: docs)
    }
}
