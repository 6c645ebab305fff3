import HTTP
import Logging
import Postgres
import Redis

/// Turns every error a handler throws into an `application/problem+json` response (RFC 9457, DESIGN §6):
/// - `HTTPError` → its own status and body, with `instance` = the request path and the request id;
/// - `DecodingError` → 400 naming the offending field (see `DecodingError.problem`);
/// - `PostgresError` → 503 + `Retry-After` when the database is unreachable, 409/422 for the
///   constraint classes a client can cause (see `PostgresError.problem`), else 500;
/// - `RedisError` that means Redis is unreachable → 503 + `Retry-After`;
/// - anything else → 500 with a generic detail. The error's text may hold SQL, paths or secrets, so it
///   goes only to the log (error level, with the request id), never to the client.
public struct ErrorMiddleware: Middleware {
    static let internalDetail = "An unexpected error occurred. Quote the request_id when reporting it."

    private let logger: Logger

    public init(logger: Logger = Logger(label: "travelsense.errors")) {
        self.logger = logger
    }

    public func respond(to request: Request, next: Handler) throws -> Response {
        do {
            return try next(request)
        } catch {
            return Self.response(for: error, request: request, logger: logger)
        }
    }

    /// The problem response for `error`; logs unexpected errors when a logger is given.
    static func response(for error: any Error, request: Request, logger: Logger?) -> Response {
        problem(for: error, request: request, logger: logger).response(
            instance: request.path, requestID: request.requestID)
    }

    /// The problem `error` becomes, for route middleware that adds members of its own before rendering
    /// (the AI gateway's OpenAI `error` object); logs unexpected errors when a logger is given.
    public static func problem(for error: any Error, request: Request, logger: Logger?) -> HTTPError {
        let problem: HTTPError
        switch error {
        case let e as HTTPError:
            problem = e
        case let e as DecodingError:
            problem = e.problem
        case let e as PostgresError where e.problem != nil:
            if e.isUnavailable {
                logger?.warning(
                    "database unavailable",
                    metadata: ["request_id": .string(request.requestID), "error": .string(e.description)])
            }
            problem = e.problem ?? HTTPError(.internalServerError, detail: internalDetail)
        case let e as RedisError where e.isUnavailable:
            // Modules fall back to PostgreSQL when Redis is down; one that cannot (a rate limit failing
            // closed) surfaces it, and the client may retry.
            logger?.warning(
                "redis unavailable",
                metadata: ["request_id": .string(request.requestID), "error": .string(e.description)])
            var headers = HTTPFields()
            headers.append(.retryAfter, String(PostgresError.retryAfterSeconds))
            problem = HTTPError(
                .serviceUnavailable, detail: "A dependency is unavailable; retry shortly.", headers: headers)
        default:
            logger?.error(
                "unhandled error",
                metadata: [
                    "request_id": .string(request.requestID),
                    "method": .string(request.method.description),
                    "route": .string(request.route.isEmpty ? "unmatched" : request.route),
                    "error_type": .string(String(reflecting: type(of: error))),
                    "error": .string(String(describing: error)),
                ])
            problem = HTTPError(.internalServerError, detail: internalDetail)
        }
        return problem
    }
}
