import Synchronization

/// The HTTP/1.1 server: a non-blocking listener, connections on N serial I/O queues, and a bounded
/// handler pool (DESIGN §2).
///
/// ```swift
/// var router = Router()
/// router.get("/hello") { _ in Response(contentType: "text/plain", body: Array("hi".utf8)) }
/// let server = HTTPServer(configuration: config, router: router)
/// try server.start()
/// // … on SIGTERM:
/// _ = server.shutdown()
/// ```
public final class HTTPServer: Sendable {
    private let core: ServerCore
    private let boundPort = Mutex<Int>(0)  // written once by start()

    public init(configuration: ServerConfiguration, router: Router, events: ServerEvents = ServerEvents()) {
        core = ServerCore(configuration: configuration, router: router, events: events)
    }

    /// Binds and serves; returns once listening.
    public func start() throws {
        let port = try core.start()
        boundPort.withLock { $0 = port }
    }

    /// The bound port (useful with port 0).
    public var port: Int { boundPort.withLock { $0 } }

    public var stats: ServerStats { core.stats }

    /// The routes being served.
    public var routes: [RouteInfo] { core.router.routes }

    /// Graceful drain: stop accepting, finish in-flight requests within the grace period, close idle
    /// connections, end the handler threads. True when everything finished in time.
    public func shutdown() -> Bool { core.shutdown() }
}
