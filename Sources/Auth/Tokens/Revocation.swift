import Foundation
import Jobs
import Kernel
import Postgres
import Redis

/// Access tokens are stateless for 15 minutes, so "stop working at once" (logout-all, password reset,
/// a disabled or deleted account, a role change) needs a marker: `users.tokens_valid_after` in
/// PostgreSQL (the truth) mirrored to Redis as `auth:rev:<user id>` = milliseconds since 1970. A token
/// whose `jti` (a UUIDv7, so its issue time to the millisecond) is not newer is refused: one issued in
/// the same millisecond just after is refused too, which costs a refresh, never a hole.
///
/// The Redis copy only has to outlive the tokens it refuses, so it expires with them. When Redis
/// cannot be written the marker is retried by a job; when it cannot be read, authentication asks
/// PostgreSQL instead.
enum RevocationMarker {
    static func key(_ user: UUID) -> String { "auth:rev:\(user.uuidString.lowercased())" }

    static let jobKind = "auth_revocation_marker"

    struct Args: Codable, Sendable {
        var userId: UUID
        var validAfterMs: Int64
    }
}

extension AuthService {
    /// Sets `tokens_valid_after` to now on `c` (inside the caller's transaction); returns it in ms.
    func invalidateAccessTokens(of user: UUID, on c: PostgresConnection) throws -> Int64 {
        let rows = try c.query(
            """
            UPDATE users SET tokens_valid_after = now(), updated_at = now() WHERE id = $1
            RETURNING floor(extract(epoch FROM tokens_valid_after) * 1000)::bigint
            """, [user])
        return try rows.first?.decode(0, as: Int64.self) ?? Int64(Date().timeIntervalSince1970 * 1000)
    }

    /// Mirrors the marker to Redis after the transaction committed; on failure a job retries it.
    func publishRevocation(of user: UUID, validAfterMilliseconds ms: Int64) {
        do {
            try writeRevocationMarker(user: user, validAfterMilliseconds: ms)
        } catch {
            logger.warning(
                "revocation marker not written to Redis; retrying from a job",
                metadata: ["user_id": .string(user.uuidString.lowercased()), "error": .string("\(error)")])
            do {
                try jobs.enqueue(
                    RevocationMarker.jobKind, args: RevocationMarker.Args(userId: user, validAfterMs: ms),
                    options: EnqueueOptions(maxAttempts: 25))
            } catch {
                // PostgreSQL still refuses the tokens whenever Redis is unreadable; log loudly.
                logger.error(
                    "revocation marker job not enqueued",
                    metadata: ["user_id": .string(user.uuidString.lowercased()), "error": .string("\(error)")])
            }
        }
    }

    func writeRevocationMarker(user: UUID, validAfterMilliseconds ms: Int64) throws {
        guard let redis else { return }
        let ttl = settings.accessTokenTTL.components.seconds + JWTSigner.leeway + 60
        // Keep the later of two markers: a retried job must not move the line back.
        _ = try redis.evaluate(
            Self.markerScript, keys: [RevocationMarker.key(user)], args: [Int(ms), Int(ttl)])
    }

    static let markerScript = RedisScript(
        """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tonumber(ARGV[1]) > current then
          redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
        end
        return 1
        """)
}
