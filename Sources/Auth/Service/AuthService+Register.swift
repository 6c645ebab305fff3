import Foundation
import HTTP
import Kernel
import Postgres

/// `POST /v1/auth/register` body.
public struct RegisterRequest: Decodable, Sendable {
    public var email: String
    public var password: String
    public var displayName: String
}

/// `POST /v1/auth/login` body.
public struct LoginRequest: Decodable, Sendable {
    public var email: String
    public var password: String
    public var totpCode: String?
}

extension AuthService {
    /// Creates the account and its first session, queues the verification e-mail, and runs the other
    /// modules' registration hooks (pending trip invitations become memberships).
    public func register(_ body: RegisterRequest, origin: RequestOrigin) throws -> TokenPair {
        var errors: [HTTPError.FieldError] = []
        let email = EmailAddress.normalize(body.email)
        if email == nil { errors.append(.init(field: "email", message: "must be a valid e-mail address")) }
        if let problem = PasswordPolicy.problem(with: body.password) {
            errors.append(.init(field: "password", message: problem))
        }
        let name = DisplayName.normalize(body.displayName)
        if name == nil {
            errors.append(.init(field: "display_name", message: "must be 1 to \(DisplayName.maximumLength) characters"))
        }
        guard let email, let name, errors.isEmpty else { throw HTTPError.invalid(errors) }
        let hash = try hashPassword(body.password)
        do {
            return try pool.transaction { c in
                let user = try c.query(
                    """
                    INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, $2, $3, $4)
                    RETURNING \(UserRecord.columns)
                    """, [UUIDv7.make(), email, name, hash]
                ).decode(UserRecord.self)[0]
                try AuditLog.record(.register, actor: user.id, origin: origin, on: c)
                try registrationHooks.run(RegisteredAccount(userID: user.id, email: email), on: c)
                try enqueueMail(.emailVerify, user: user.id, on: c)
                return try startSession(for: user, origin: origin, on: c)
            }
        } catch let error as PostgresError where error.sqlState == SQLState.uniqueViolation {
            throw HTTPError(
                .conflict, detail: "An account with this e-mail address already exists.",
                errors: [.init(field: "email", message: "is already registered")])
        }
    }
}
