import HTTP

/// Turns a request's credentials into a `Principal`. The executable installs Auth's implementation
/// through `AuthenticationMiddleware`; other modules only read the result.
public protocol Authenticator: Sendable {
    /// nil when the request carries no credentials; throws (401 `HTTPError`, or a dependency error)
    /// when it carries bad ones.
    func authenticate(_ request: Request) throws -> Principal?
}

public enum PrincipalKey: RequestContextKey {
    public typealias Value = Principal
}

/// Why the credentials of this request were refused. Kept until a route asks for a principal, so a
/// public route (login, refresh, health) still answers a client that sends a stale token everywhere.
enum AuthenticationFailureKey: RequestContextKey {
    typealias Value = AuthenticationFailure
}

struct AuthenticationFailure: Sendable {
    let error: any Error
}

/// Authenticates every request that carries credentials, before routing reaches a handler.
public struct AuthenticationMiddleware: Middleware {
    let authenticator: any Authenticator

    public init(authenticator: any Authenticator) {
        self.authenticator = authenticator
    }

    public func respond(to request: Request, next: Handler) throws -> Response {
        var request = request
        do {
            if let principal = try authenticator.authenticate(request) {
                request.context[PrincipalKey.self] = principal
                request.setUserID(principal.userIDString)
            }
        } catch {
            request.context[AuthenticationFailureKey.self] = AuthenticationFailure(error: error)
        }
        return try next(request)
    }
}

extension Request {
    /// The authenticated caller, or nil (no or bad credentials).
    public var principal: Principal? { context[PrincipalKey.self] }

    /// The caller, who must hold `scope` when given: 401 without valid credentials (RFC 6750
    /// `WWW-Authenticate`), 403 `insufficient_scope` for an API key without the scope.
    public func authenticated(scope: Scope? = nil) throws -> Principal {
        if let failure = context[AuthenticationFailureKey.self] { throw failure.error }
        guard let principal = context[PrincipalKey.self] else { throw AuthProblems.unauthenticated }
        if let scope, !principal.allows(scope) { throw AuthProblems.insufficientScope(scope) }
        return principal
    }

    /// A caller with the admin role (and, for an API key, the `admin` scope); 403 otherwise.
    public func authenticatedAdmin() throws -> Principal {
        let principal = try authenticated(scope: .admin)
        guard principal.role == .admin else {
            throw HTTPError(.forbidden, detail: "This operation requires the admin role.")
        }
        return principal
    }
}

/// The 401/403 problems of RFC 6750 §3, shared by every module.
public enum AuthProblems {
    public static let realm = "travelsense"

    /// No credentials.
    public static var unauthenticated: HTTPError {
        var headers = HTTPFields()
        headers.append(.wwwAuthenticate, "Bearer realm=\"\(realm)\"")
        return HTTPError(
            .unauthorized, detail: "Authentication required: send Authorization: Bearer <token>.", headers: headers)
    }

    /// Credentials that are malformed, expired, revoked or unknown; `detail` stays generic on purpose.
    public static func invalidToken(_ detail: String = "The access token is invalid or expired.") -> HTTPError {
        var headers = HTTPFields()
        headers.append(.wwwAuthenticate, "Bearer realm=\"\(realm)\", error=\"invalid_token\"")
        return HTTPError(.unauthorized, detail: detail, headers: headers)
    }

    public static func insufficientScope(_ scope: Scope) -> HTTPError {
        var headers = HTTPFields()
        headers.append(
            .wwwAuthenticate, "Bearer realm=\"\(realm)\", error=\"insufficient_scope\", scope=\"\(scope.rawValue)\"")
        return HTTPError(.forbidden, detail: "This API key lacks the \(scope.rawValue) scope.", headers: headers)
    }
}
