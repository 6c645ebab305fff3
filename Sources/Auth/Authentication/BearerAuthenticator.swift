import Foundation
import HTTP
import Kernel
import Postgres
import Redis

/// `Authorization: Bearer <token>` → `Principal`. Two kinds of bearer:
/// - an access token (Ed25519 JWT): verified without I/O, then one Redis round trip reads the
///   revocation marker and counts the request against the per-principal rate limit together;
///   PostgreSQL answers instead when Redis cannot;
/// - an API key (`tsk_…`): looked up by digest in PostgreSQL with its owner, so revoking it or
///   disabling the owner takes effect on the next request.
public struct BearerAuthenticator: Authenticator {
    let service: AuthService

    public init(service: AuthService) {
        self.service = service
    }

    public func authenticate(_ request: Request) throws -> Principal? {
        guard let header = request.headers[.authorization] else { return nil }
        guard header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw AuthProblems.invalidToken("Only Bearer credentials are accepted.")
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        if token.hasPrefix(OpaqueToken.apiKeyPrefix) {
            return try service.authenticateAPIKey(token)
        }
        return try service.authenticateAccessToken(token)
    }
}

extension AuthService {
    func authenticateAccessToken(_ token: String) throws -> Principal {
        let now = Int64(Date().timeIntervalSince1970)
        let claims: AccessTokenClaims
        do {
            claims = try signer.verify(token, now: now)
        } catch {
            throw AuthProblems.invalidToken()
        }
        guard let userID = UUID(uuidString: claims.sub), let jti = UUIDv7(claims.jti),
            let role = GlobalRole(rawValue: claims.role)
        else { throw AuthProblems.invalidToken() }
        let (decision, marker) = try limiter.check(
            settings.apiLimit, key: userID.uuidString.lowercased(), reading: RevocationMarker.key(userID))
        if decision.unchecked {
            // Redis could not say; PostgreSQL can.
            guard try isStillValid(user: userID, issuedAtMilliseconds: jti.unixMilliseconds) else {
                throw AuthProblems.invalidToken()
            }
        } else {
            if let marker, let validAfter = UInt64(marker), jti.unixMilliseconds <= validAfter {
                throw AuthProblems.invalidToken()
            }
            try Self.enforce(decision, policy: settings.apiLimit)
        }
        return Principal(userID: userID, role: role, credential: .accessToken(id: claims.jti), scopes: nil)
    }

    /// The PostgreSQL view of revocation: the account is active and was not revoked after issue.
    func isStillValid(user: UUID, issuedAtMilliseconds: UInt64) throws -> Bool {
        let rows = try pool.query(
            """
            SELECT disabled_at IS NULL AND deleted_at IS NULL
                AND (tokens_valid_after = '-infinity'
                     OR floor(extract(epoch FROM tokens_valid_after) * 1000)::bigint < $2)
            FROM users WHERE id = $1
            """, [user, Int64(issuedAtMilliseconds)])
        return try rows.first?.decode(0, as: Bool.self) ?? false
    }

    func authenticateAPIKey(_ key: String) throws -> Principal {
        guard OpaqueToken.isWellFormed(key, prefix: OpaqueToken.apiKeyPrefix) else {
            throw AuthProblems.invalidToken("The API key is invalid, expired or revoked.")
        }
        let rows = try pool.query(
            """
            SELECT k.id, k.user_id, k.scopes, u.role,
                   k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute'
            FROM api_keys k JOIN users u ON u.id = k.user_id
            WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
              AND u.disabled_at IS NULL AND u.deleted_at IS NULL
            """, [try OpaqueToken.digest(key)])
        guard let row = rows.first else {
            throw AuthProblems.invalidToken("The API key is invalid, expired or revoked.")
        }
        let id = try row.decode(0, as: UUID.self)
        let scopes = Set(try row.decode(2, as: [String].self).compactMap(Scope.init(rawValue:)))
        let principal = Principal(
            userID: try row.decode(1, as: UUID.self),
            role: GlobalRole(rawValue: try row.decode(3, as: String.self)) ?? .user,
            credential: .apiKey(id: id), scopes: scopes)
        // `last_used_at` to the minute: one write per key per minute, not one per request.
        if try row.decode(4, as: Bool.self) {
            _ = try pool.execute("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [id])
        }
        let decision = try limiter.check(settings.apiLimit, key: "key:\(id.uuidString.lowercased())")
        try Self.enforce(decision, policy: settings.apiLimit)
        return principal
    }

    /// 429 with `Retry-After` and the RateLimit headers when `decision` refuses.
    static func enforce(_ decision: RateLimitDecision, policy: RateLimitPolicy) throws {
        guard decision.allowed else { throw RateLimitMiddleware.limited(decision, policy: policy) }
    }
}
