import Crypto
import Foundation
import HTTP
import Jobs
import Postgres

/// `Idempotency-Key` on POST (DESIGN §6), for routes that opt in: the first request with a key runs
/// and its response is stored; a retry with the same key and the same request gets that response again
/// (`Idempotent-Replayed: true`) for `retention`; the same key with a different request is 422; a retry
/// while the first is still running is 409. Keys are scoped (per principal), so two callers never see
/// each other's responses.
///
/// Only final answers are kept: a 5xx or a thrown error frees the key so the client can retry, and
/// streamed bodies are never stored. The claim is one `INSERT … ON CONFLICT`, so two concurrent first
/// requests cannot both run.
public struct IdempotencyMiddleware: Middleware {
    public static let header: HTTPFieldName = "Idempotency-Key"
    public static let maxKeyLength = 255
    /// How long a stored response is replayed (and a key stays taken).
    public static let retention: Duration = .seconds(24 * 3600)
    /// A claim older than this without an answer belongs to a request that died with its process.
    public static let abandonedAfter: Duration = .seconds(300)
    /// Response headers replayed with the stored body.
    static let keptHeaders: [HTTPFieldName] = [.contentType, .location, .etag, "Content-Language"]

    let pool: PostgresPool
    let scope: @Sendable (Request) -> String

    /// - Parameter scope: who the key belongs to; defaults to the `Authorization` header (hashed) or,
    ///   for anonymous requests, the client address.
    public init(pool: PostgresPool, scope: (@Sendable (Request) -> String)? = nil) {
        self.pool = pool
        self.scope = scope ?? Self.defaultScope
    }

    static func defaultScope(_ request: Request) -> String {
        guard let authorization = request.headers[.authorization],
            let digest = try? SHA256.hexHash(Array(authorization.utf8))
        else { return "anonymous:" + request.clientAddress }
        return "auth:" + digest
    }

    public func respond(to request: Request, next: Handler) throws -> Response {
        guard request.method == .post, let key = request.headers[Self.header] else { return try next(request) }
        guard (1...Self.maxKeyLength).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw HTTPError(
                .badRequest, detail: "Idempotency-Key must be 1 to \(Self.maxKeyLength) visible ASCII characters.")
        }
        let owner = scope(request)
        let fingerprint = try Self.fingerprint(request)
        switch try claim(owner, key, fingerprint) {
        case .claimed:
            break
        case .mismatch:
            throw HTTPError(
                .unprocessableContent, detail: "This Idempotency-Key was used with a different request.")
        case .inFlight:
            var headers = HTTPFields()
            headers.append(.retryAfter, "1")
            throw HTTPError(
                .conflict, detail: "A request with this Idempotency-Key is still being processed.", headers: headers)
        case .replay(let response):
            return response
        }
        let response: Response
        do {
            response = try next(request)
        } catch {
            release(owner, key)
            throw error
        }
        guard response.status.code < 500, case .bytes(let body) = response.body else {
            release(owner, key)
            return response
        }
        try store(owner, key, response, body)
        return response
    }

    static func fingerprint(_ request: Request) throws -> [UInt8] {
        var bytes = Array("\(request.method) \(request.path)\n".utf8)
        bytes += request.body
        return try SHA256.hash(bytes)
    }

    enum Claim {
        case claimed
        case mismatch
        case inFlight
        case replay(Response)
    }

    /// One statement in the common case: the insert claims a new key, or takes over an expired or
    /// abandoned one in place; only when it claims nothing is the existing row read.
    private func claim(_ owner: String, _ key: String, _ fingerprint: [UInt8]) throws -> Claim {
        let claimed = try pool.query(
            """
            INSERT INTO idempotency_keys AS k (scope, key, fingerprint) VALUES ($1, $2, $3)
            ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint, created_at = now(),
                completed_at = NULL, status = NULL, headers = NULL, body = NULL
            WHERE k.created_at < now() - $4::int8 * interval '1 second'
               OR (k.completed_at IS NULL AND k.created_at < now() - $5::int8 * interval '1 second')
            RETURNING 1
            """,
            [owner, key, Data(fingerprint), Self.retention.components.seconds, Self.abandonedAfter.components.seconds])
        if claimed.count == 1 { return .claimed }
        guard
            let row = try pool.query(
                "SELECT fingerprint, completed_at IS NOT NULL, status, headers::text, body FROM idempotency_keys WHERE scope = $1 AND key = $2",
                [owner, key]
            ).first
        else { return .inFlight }  // freed by its owner's failure just now: the client retries
        guard [UInt8](try row.decode(0, as: Data.self)) == fingerprint else { return .mismatch }
        guard try row.decode(1, as: Bool.self) else { return .inFlight }
        return .replay(try Self.storedResponse(row))
    }

    static func storedResponse(_ row: PostgresRow) throws -> Response {
        var headers = HTTPFields()
        let stored = try row.decode(3, as: String?.self) ?? "[]"
        let pairs = (try? JSONDecoder().decode([[String]].self, from: Data(stored.utf8))) ?? []
        for pair in pairs where pair.count == 2 { headers.append(HTTPFieldName(pair[0]), pair[1]) }
        headers.append("Idempotent-Replayed", "true")
        let status = try row.decode(2, as: Int?.self) ?? 200
        let body = [UInt8](try row.decode(4, as: Data?.self) ?? Data())
        return Response(status: HTTPStatus(status), headers: headers, body: .bytes(body))
    }

    private func store(_ owner: String, _ key: String, _ response: Response, _ body: [UInt8]) throws {
        var pairs = [[String]]()
        for name in Self.keptHeaders {
            for value in response.headers.values(name) { pairs.append([name.description, value]) }
        }
        let headers = String(decoding: (try? JSONEncoder().encode(pairs)) ?? Data("[]".utf8), as: UTF8.self)
        try pool.execute(
            """
            UPDATE idempotency_keys SET completed_at = now(), status = $3, headers = $4::jsonb, body = $5
            WHERE scope = $1 AND key = $2
            """, [owner, key, response.status.code, headers, Data(body)])
    }

    private func release(_ owner: String, _ key: String) {
        _ = try? pool.execute(
            "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND completed_at IS NULL", [owner, key])
    }

    /// An hourly job deletes keys past `retention` (replays already ignore them; this bounds the table).
    static func schedulePruning(jobs: JobSystem, pool: PostgresPool) throws {
        let kind = "kernel_idempotency_prune"
        jobs.register(kind: kind) { _ in
            try pool.execute(
                "DELETE FROM idempotency_keys WHERE created_at < now() - $1::int8 * interval '1 second'",
                [retention.components.seconds])
        }
        try jobs.addCron(name: kind, schedule: "@hourly", kind: kind)
    }
}
