import Foundation
import HTTP
import Kernel
import Postgres

public struct CreateAPIKeyRequest: Decodable, Sendable {
    public var name: String
    public var scopes: [String]
    public var expiresAt: Date?
}

/// An API key as listed: never the secret, only its first characters.
public struct APIKeyView: Codable, Sendable {
    public var id: String
    public var name: String
    public var prefix: String
    public var scopes: [String]
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var createdAt: Date
}

/// The creation answer: the one time the secret is shown.
public struct CreatedAPIKey: Encodable, Sendable {
    public var id: String
    public var name: String
    public var prefix: String
    public var scopes: [String]
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var createdAt: Date
    public var key: String
}

extension AuthService {
    static let apiKeyPrefixLength = 12

    /// Keys are managed with a session only: a key minting or revoking keys could escalate itself.
    static func requireSession(_ principal: Principal) throws {
        if case .apiKey = principal.credential {
            throw HTTPError(.forbidden, detail: "This operation needs a signed-in session, not an API key.")
        }
    }

    public func createAPIKey(
        _ principal: Principal, _ body: CreateAPIKeyRequest, origin: RequestOrigin
    ) throws
        -> CreatedAPIKey
    {
        try Self.requireSession(principal)
        var errors: [HTTPError.FieldError] = []
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...100).contains(name.count)
            || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            errors.append(.init(field: "name", message: "must be 1 to 100 characters"))
        }
        let scopes = body.scopes.compactMap(Scope.init(rawValue:))
        if body.scopes.isEmpty || scopes.count != body.scopes.count {
            errors.append(
                .init(
                    field: "scopes",
                    message: "must list one or more of \(Scope.allCases.map(\.rawValue).joined(separator: ", "))"))
        } else if scopes.contains(.admin), principal.role != .admin {
            errors.append(.init(field: "scopes", message: "admin requires the admin role"))
        }
        if let expiresAt = body.expiresAt, expiresAt <= Date() {
            errors.append(.init(field: "expires_at", message: "must be in the future"))
        }
        guard errors.isEmpty else { throw HTTPError.invalid(errors) }
        let key = try OpaqueToken.generate(prefix: OpaqueToken.apiKeyPrefix)
        let sortedScopes = Set(scopes).sorted().map(\.rawValue)
        return try pool.transaction { c in
            let row = try c.query(
                """
                INSERT INTO api_keys (id, user_id, name, prefix, key_hash, scopes, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at
                """,
                [
                    UUIDv7.make(), principal.userID, name, String(key.prefix(Self.apiKeyPrefixLength)),
                    try OpaqueToken.digest(key), sortedScopes, body.expiresAt,
                ])[0]
            let id = try row.decode(0, as: UUID.self)
            try AuditLog.record(
                .apiKeyCreated, actor: principal.userID, origin: origin,
                detail: ["api_key_id": id.uuidString.lowercased(), "scopes": sortedScopes.joined(separator: " ")], on: c
            )
            return CreatedAPIKey(
                id: id.uuidString.lowercased(), name: name, prefix: String(key.prefix(Self.apiKeyPrefixLength)),
                scopes: sortedScopes,
                expiresAt: body.expiresAt, lastUsedAt: nil, createdAt: try row.decode(1, as: Date.self), key: key)
        }
    }

    /// The caller's live keys, newest first.
    public func listAPIKeys(_ principal: Principal, page: PageRequest) throws -> Page<APIKeyView> {
        var binds: [any PostgresEncodable] = [principal.userID, page.limit + 1]
        var after = ""
        if let cursor = page.after?.first {
            guard let id = UUID(uuidString: cursor) else {
                throw HTTPError.invalid([.init(field: "cursor", message: "is invalid")])
            }
            binds.append(id)
            after = "AND id < $3"
        }
        // ::text keeps PostgreSQL's lower-case spelling of the id.
        let rows = try pool.query(
            """
            SELECT id::text, name, prefix, scopes, expires_at, last_used_at, created_at FROM api_keys
            WHERE user_id = $1 AND revoked_at IS NULL \(after) ORDER BY id DESC LIMIT $2
            """, binds
        ).decode(APIKeyView.self)
        return Page(rows: rows, limit: page.limit) { [$0.id] }
    }

    /// The owner of a live (not revoked) key, or nil (`Services.apiKeyOwners`).
    public func apiKeyOwner(_ id: UUID) throws -> UUID? {
        let rows = try pool.query("SELECT user_id FROM api_keys WHERE id = $1 AND revoked_at IS NULL", [id])
        return try rows.first?.decode(0, as: UUID.self)
    }

    /// Revokes one of the caller's keys; someone else's (or an unknown id) is 404.
    public func revokeAPIKey(_ principal: Principal, id: UUID, origin: RequestOrigin) throws {
        try Self.requireSession(principal)
        try pool.transaction { c in
            let n = try c.execute(
                "UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
                [id, principal.userID])
            guard n == 1 else { throw HTTPError(.notFound, detail: "No such API key.") }
            try AuditLog.record(
                .apiKeyRevoked, actor: principal.userID, origin: origin,
                detail: ["api_key_id": id.uuidString.lowercased()], on: c)
        }
    }
}
