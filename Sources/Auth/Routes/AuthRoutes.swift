import Foundation
import HTTP
import Kernel

/// `/v1/auth/*` and `/.well-known/jwks.json`: the unauthenticated entry points, each limited per
/// client IP (the address behind trusted proxies, DESIGN §6).
struct AuthRoutes {
    let service: AuthService

    /// Auth bodies are a few hundred bytes; 16 KiB leaves room and refuses floods early.
    static let bodyLimit = 16 * 1024

    func register(_ routes: inout Routes) {
        let s = service
        let perIP = { (policy: RateLimitPolicy) -> [any Middleware] in
            [RateLimitMiddleware(limiter: s.limiter, policy: policy, key: { $0.clientAddress })]
        }
        let tags = ["auth"]
        routes.post(
            "/v1/auth/register", bodyLimit: Self.bodyLimit, middleware: perIP(s.settings.registerLimit),
            doc: RouteDoc(
                summary: "Create an account", tags: tags,
                requestBody: RequestBodyDoc(
                    schema: AuthSchemas.object(
                        [
                            "email": AuthSchemas.email, "password": AuthSchemas.password,
                            "display_name": AuthSchemas.string,
                        ],
                        required: ["email", "password", "display_name"])),
                responses: [
                    ResponseDoc(201, "Account created; signed in", schema: AuthSchemas.tokenPair), AuthSchemas.invalid,
                    .problem(409, "E-mail already registered"), AuthSchemas.rateLimited,
                ])
        ) { request in
            try .json(
                s.register(try request.decodeJSON(RegisterRequest.self), origin: RequestOrigin(request)),
                status: .created)
        }
        routes.post(
            "/v1/auth/login", bodyLimit: Self.bodyLimit, middleware: perIP(s.settings.loginLimit),
            doc: RouteDoc(
                summary: "Sign in", description: "Send `totp_code` (or a recovery code) when two-factor is on.",
                tags: tags,
                requestBody: RequestBodyDoc(
                    schema: AuthSchemas.object(
                        ["email": AuthSchemas.string, "password": AuthSchemas.string, "totp_code": AuthSchemas.string],
                        required: ["email", "password"])),
                responses: [
                    ResponseDoc(200, "Signed in", schema: AuthSchemas.tokenPair), AuthSchemas.unauthorized,
                    .problem(403, "Account disabled"), AuthSchemas.rateLimited,
                ])
        ) { request in
            try .json(s.login(try request.decodeJSON(LoginRequest.self), origin: RequestOrigin(request)))
        }
        let refreshBody = RequestBodyDoc(
            schema: AuthSchemas.object(["refresh_token": AuthSchemas.string], required: ["refresh_token"]))
        routes.post(
            "/v1/auth/refresh", bodyLimit: Self.bodyLimit, middleware: perIP(s.settings.refreshLimit),
            doc: RouteDoc(
                summary: "Exchange a refresh token for a new pair",
                description: "The token is spent. Presenting a spent token again revokes its whole session family.",
                tags: tags, requestBody: refreshBody,
                responses: [
                    ResponseDoc(200, "New tokens", schema: AuthSchemas.tokenPair), AuthSchemas.unauthorized,
                    AuthSchemas.rateLimited,
                ])
        ) { request in
            try .json(
                s.refresh(token: try request.decodeJSON(RefreshBody.self).refreshToken, origin: RequestOrigin(request)))
        }
        routes.post(
            "/v1/auth/logout", bodyLimit: Self.bodyLimit, middleware: perIP(s.settings.refreshLimit),
            doc: RouteDoc(
                summary: "End the session a refresh token belongs to", tags: tags, requestBody: refreshBody,
                responses: [ResponseDoc(204, "Signed out", contentType: nil)])
        ) { request in
            try s.logout(token: try request.decodeJSON(RefreshBody.self).refreshToken, origin: RequestOrigin(request))
            return .noContent
        }
        routes.post(
            "/v1/auth/logout-all", bodyLimit: Self.bodyLimit,
            doc: RouteDoc(
                summary: "End every session of the caller, access tokens included", tags: tags,
                responses: [ResponseDoc(204, "Signed out everywhere", contentType: nil), AuthSchemas.unauthorized])
        ) { request in
            try s.logoutAll(try request.authenticated(), origin: RequestOrigin(request))
            return .noContent
        }
        routes.post(
            "/v1/auth/password/forgot", bodyLimit: Self.bodyLimit, middleware: perIP(s.settings.forgotLimit),
            doc: RouteDoc(
                summary: "Mail a password-reset link", description: "Always 202, whether the address is known or not.",
                tags: tags,
                requestBody: RequestBodyDoc(
                    schema: AuthSchemas.object(["email": AuthSchemas.string], required: ["email"])),
                responses: [ResponseDoc(202, "Accepted", contentType: nil), AuthSchemas.rateLimited])
        ) { request in
            try s.forgotPassword(try request.decodeJSON(ForgotPasswordRequest.self), origin: RequestOrigin(request))
            return Response(status: .accepted)
        }
        routes.post(
            "/v1/auth/password/reset", bodyLimit: Self.bodyLimit, middleware: perIP(s.settings.refreshLimit),
            doc: RouteDoc(
                summary: "Set a new password with a reset token", description: "Every session is revoked.", tags: tags,
                requestBody: RequestBodyDoc(
                    schema: AuthSchemas.object(
                        ["token": AuthSchemas.string, "new_password": AuthSchemas.password],
                        required: ["token", "new_password"])),
                responses: [ResponseDoc(204, "Password changed", contentType: nil), AuthSchemas.invalid])
        ) { request in
            try s.resetPassword(try request.decodeJSON(ResetPasswordRequest.self), origin: RequestOrigin(request))
            return .noContent
        }
        routes.post(
            "/v1/auth/email/verify", bodyLimit: Self.bodyLimit, middleware: perIP(s.settings.refreshLimit),
            doc: RouteDoc(
                summary: "Confirm an e-mail address with the mailed token", tags: tags,
                requestBody: RequestBodyDoc(
                    schema: AuthSchemas.object(["token": AuthSchemas.string], required: ["token"])),
                responses: [ResponseDoc(204, "Verified", contentType: nil), AuthSchemas.invalid])
        ) { request in
            try s.verifyEmail(try request.decodeJSON(VerifyEmailRequest.self), origin: RequestOrigin(request))
            return .noContent
        }
        // The document changes only when keys rotate: cacheable, and computed once.
        let jwks = (try? JSONBody.encode(s.jwks)) ?? []
        routes.get(
            "/.well-known/jwks.json",
            doc: RouteDoc(
                summary: "Public keys that verify access tokens (JWK Set, Ed25519)", tags: tags,
                responses: [
                    ResponseDoc(200, "JWK Set", contentType: "application/jwk-set+json", schema: AuthSchemas.jwks)
                ])
        ) { _ in
            var headers = HTTPFields()
            headers.append(.cacheControl, "public, max-age=300")
            headers.append(.contentType, "application/jwk-set+json")
            return Response(status: .ok, headers: headers, body: .bytes(jwks))
        }
    }
}

struct RefreshBody: Decodable {
    var refreshToken: String
}
