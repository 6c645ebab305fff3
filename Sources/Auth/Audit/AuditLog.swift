import Foundation
import HTTP
import Kernel
import Postgres

/// Security events, appended to `audit_log` (DESIGN §7). The table refuses UPDATE, DELETE and TRUNCATE.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case register
    case loginSuccess = "login_success"
    case loginFailure = "login_failure"
    case refreshReuse = "refresh_reuse"
    case logout
    case logoutAll = "logout_all"
    case passwordChange = "password_change"
    case passwordReset = "password_reset"
    case emailChange = "email_change"
    case emailVerified = "email_verified"
    case totpEnabled = "totp_enabled"
    case totpDisabled = "totp_disabled"
    case apiKeyCreated = "api_key_created"
    case apiKeyRevoked = "api_key_revoked"
    case roleChange = "role_change"
    case userDisabled = "user_disabled"
    case userEnabled = "user_enabled"
    case accountDeleted = "account_deleted"
    case adminCreated = "admin_created"
}

/// Where a request came from, for the audit trail.
public struct RequestOrigin: Sendable {
    public var ip: String?
    public var userAgent: String?
    public var requestID: String?

    public init(ip: String? = nil, userAgent: String? = nil, requestID: String? = nil) {
        self.ip = ip
        self.userAgent = userAgent
        self.requestID = requestID
    }

    public init(_ request: Request) {
        ip = request.clientAddress
        // Bounded: the column is for people reading incidents, not for storing whatever a client sends.
        userAgent = request.headers[.userAgent].map { String($0.prefix(512)) }
        requestID = request.requestID
    }
}

enum AuditLog {
    /// Appends one event on `connection` (inside the caller's transaction when there is one, so the
    /// event exists exactly when the change does).
    static func record(
        _ action: AuditAction, actor: UUID?, target: UUID? = nil, origin: RequestOrigin,
        detail: [String: String] = [:], on connection: PostgresConnection
    ) throws {
        try connection.execute(
            """
            INSERT INTO audit_log (id, action, actor_id, target_id, ip, user_agent, request_id, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [
                UUIDv7.make(), action.rawValue, actor, target ?? actor,
                origin.ip, origin.userAgent, origin.requestID, try PostgresJSON(detail),
            ])
    }
}
