import Foundation
import HTTP
import Kernel
import Postgres

/// The answer to register, login and refresh: an access token and the refresh token that replaces it.
public struct TokenPair: Encodable, Sendable {
    public var user: UserView
    public var accessToken: String
    public var refreshToken: String
    public var tokenType = "Bearer"
    public var expiresIn: Int
}

extension AuthService {
    /// Starts a session (a new refresh-token family) for `user` on `connection`, inside the caller's
    /// transaction.
    func startSession(
        for user: UserRecord, origin: RequestOrigin, on connection: PostgresConnection
    ) throws -> TokenPair {
        try issue(for: user, family: UUIDv7.make(), origin: origin, on: connection)
    }

    /// A new refresh token in `family` and an access token naming that session.
    func issue(
        for user: UserRecord, family: UUID, origin: RequestOrigin, on connection: PostgresConnection
    ) throws -> TokenPair {
        let refresh = try OpaqueToken.generate(prefix: OpaqueToken.refreshPrefix)
        let ttl = settings.refreshTokenTTL.components.seconds
        try connection.execute(
            """
            INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at, ip, user_agent)
            VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), $6, $7)
            """,
            [UUIDv7.make(), family, user.id, try OpaqueToken.digest(refresh), Int(ttl), origin.ip, origin.userAgent])
        return TokenPair(
            user: UserView(user), accessToken: try accessToken(for: user, session: family), refreshToken: refresh,
            expiresIn: Int(settings.accessTokenTTL.components.seconds))
    }

    func accessToken(for user: UserRecord, session: UUID?) throws -> String {
        let jti = UUIDv7()
        let now = Int64(jti.unixMilliseconds / 1000)
        return try signer.sign(
            AccessTokenClaims(
                sub: user.id.uuidString.lowercased(), role: user.role, iat: now,
                exp: now + settings.accessTokenTTL.components.seconds, jti: jti.description,
                sid: session?.uuidString.lowercased()))
    }

    /// `POST /v1/auth/refresh`: the token is spent and a new pair returned. A token that was already
    /// spent means two parties hold it — the family is revoked and the event audited.
    public func refresh(token: String, origin: RequestOrigin) throws -> TokenPair {
        guard OpaqueToken.isWellFormed(token, prefix: OpaqueToken.refreshPrefix) else { throw Self.invalidRefresh }
        let digest = try OpaqueToken.digest(token)
        enum Outcome {
            case issued(TokenPair)
            case reused(family: UUID, user: UUID)
            case invalid
        }
        let outcome: Outcome = try pool.transaction { c in
            let spent = try c.query(
                """
                UPDATE refresh_tokens SET rotated_at = now()
                WHERE token_hash = $1 AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > now()
                RETURNING family_id, user_id
                """, [digest])
            if let row = spent.first {
                let family = try row.decode(0, as: UUID.self)
                guard let user = try UserRecord.find(id: try row.decode(1, as: UUID.self), on: c), user.isActive else {
                    return .invalid
                }
                return .issued(try issue(for: user, family: family, origin: origin, on: c))
            }
            let known = try c.query(
                "SELECT family_id, user_id, rotated_at IS NOT NULL AND revoked_at IS NULL FROM refresh_tokens WHERE token_hash = $1",
                [digest])
            if let row = known.first, try row.decode(2, as: Bool.self) {
                return .reused(family: try row.decode(0, as: UUID.self), user: try row.decode(1, as: UUID.self))
            }
            return .invalid
        }
        switch outcome {
        case .issued(let pair):
            return pair
        case .invalid:
            throw Self.invalidRefresh
        case .reused(let family, let user):
            try pool.transaction { c in
                try c.execute(
                    "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL", [family]
                )
                try AuditLog.record(
                    .refreshReuse, actor: user, origin: origin, detail: ["family_id": family.uuidString.lowercased()],
                    on: c)
            }
            logger.warning(
                "refresh token reused; family revoked",
                metadata: [
                    "user_id": .string(user.uuidString.lowercased()), "request_id": .string(origin.requestID ?? ""),
                ])
            throw Self.invalidRefresh
        }
    }

    /// `POST /v1/auth/logout`: ends the session the refresh token belongs to. Idempotent: an unknown or
    /// already revoked token is not an error (the client wants to be logged out, and is).
    public func logout(token: String, origin: RequestOrigin) throws {
        guard OpaqueToken.isWellFormed(token, prefix: OpaqueToken.refreshPrefix) else { return }
        try pool.transaction { c in
            let rows = try c.query(
                """
                UPDATE refresh_tokens SET revoked_at = now()
                WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL
                RETURNING user_id
                """, [try OpaqueToken.digest(token)])
            if let user = try rows.first?.decode(0, as: UUID.self) {
                try AuditLog.record(.logout, actor: user, origin: origin, on: c)
            }
        }
    }

    /// `POST /v1/auth/logout-all`: every session of the caller ends, access tokens included.
    public func logoutAll(_ principal: Principal, origin: RequestOrigin) throws {
        let validAfter = try pool.transaction { c in
            try revokeSessions(of: principal.userID, except: nil, on: c)
            try AuditLog.record(.logoutAll, actor: principal.userID, origin: origin, on: c)
            return try invalidateAccessTokens(of: principal.userID, on: c)
        }
        publishRevocation(of: principal.userID, validAfterMilliseconds: validAfter)
    }

    func revokeSessions(of user: UUID, except family: UUID?, on c: PostgresConnection) throws {
        if let family {
            try c.execute(
                "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND family_id <> $2 AND revoked_at IS NULL",
                [user, family])
        } else {
            try c.execute(
                "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", [user])
        }
    }

    static var invalidRefresh: HTTPError {
        AuthProblems.invalidToken("The refresh token is invalid, expired or already used; sign in again.")
    }
}
