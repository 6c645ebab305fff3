import HTTP
import Logging

/// Logs one line per request (DESIGN §8): message `request` with method, route template (or
/// `unmatched`), path, status, duration_ms, request_id, user_id (when authenticated), remote address and
/// response body bytes (when known). Sits inside the request-id middleware so the id is set, and
/// outside the error middleware so it sees the final status of error responses.
public struct AccessLogMiddleware: Middleware {
    private let logger: Logger

    public init(logger: Logger = Logger(label: "travelsense.access")) {
        self.logger = logger
    }

    public func respond(to request: Request, next: Handler) throws -> Response {
        let start = ContinuousClock.now
        var request = request
        let annotations = RequestAnnotations()
        request.context[RequestAnnotationsKey.self] = annotations
        do {
            var response = try next(request)
            if case .deferred(let deferred) = response.body {
                // Logged when the real response exists, with its status and the whole wait.
                let request = request
                response.body = .deferred(
                    deferred.map { produced in
                        log(request, status: produced.status.code, bytes: Self.bodyLength(produced.body), since: start)
                        return produced
                    })
                return response
            }
            log(request, status: response.status.code, bytes: Self.bodyLength(response.body), since: start)
            return response
        } catch {
            // Only reached when no error middleware is inside; the server will answer 500.
            log(request, status: 500, bytes: nil, since: start)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, bytes: Int?, since start: ContinuousClock.Instant) {
        guard logger.logLevel <= .info else { return }
        var metadata = Logger.Metadata(minimumCapacity: 10)  // sized once: no rehash while filling
        metadata["method"] = .string(request.method.description)
        metadata["route"] = .string(request.route.isEmpty ? "unmatched" : request.route)
        metadata["path"] = .string(request.path)
        metadata["status"] = .number(status)
        metadata["duration_ms"] = .stringConvertible(LogNumber(milliseconds: ContinuousClock.now - start))
        metadata["request_id"] = .string(request.requestID)
        metadata["remote"] = .string(request.remoteAddress)
        if let client = request.context[ClientAddressKey.self], !request.remoteAddress.hasPrefix(client + ":") {
            metadata["client"] = .string(client)  // only behind a trusted proxy: saves a field per line
        }
        if let user = request.loggedUserID { metadata["user_id"] = .string(user) }
        if let bytes { metadata["bytes"] = .number(bytes) }
        logger.info("request", metadata: metadata)
    }

    static func bodyLength(_ body: ResponseBody) -> Int? {
        switch body {
        case .bytes(let b): b.count
        case .stream(let s): s.contentLength
        case .deferred: nil
        }
    }
}
