import Foundation
import HTTP
import Kernel

/// `/v1/me*`: the caller's own account and two-factor settings.
struct MeRoutes {
    let service: AuthService

    func register(_ routes: inout Routes) {
        let s = service
        let tags = ["me"]
        let limit = AuthRoutes.bodyLimit
        let passwordBody = RequestBodyDoc(
            schema: AuthSchemas.object(["password": AuthSchemas.string], required: ["password"]))
        routes.get(
            "/v1/me",
            doc: RouteDoc(
                summary: "The caller's account", tags: tags,
                responses: [ResponseDoc(200, "The account", schema: AuthSchemas.user), AuthSchemas.unauthorized])
        ) { request in
            try .json(s.me(try request.authenticated()))
        }
        routes.patch(
            "/v1/me", bodyLimit: limit,
            doc: RouteDoc(
                summary: "Change display name or e-mail", description: "A new e-mail must be verified again.",
                tags: tags,
                requestBody: RequestBodyDoc(
                    schema: AuthSchemas.object(["display_name": AuthSchemas.string, "email": AuthSchemas.email])),
                responses: [
                    ResponseDoc(200, "The account", schema: AuthSchemas.user), AuthSchemas.invalid,
                    .problem(409, "E-mail already registered"), AuthSchemas.unauthorized,
                ])
        ) { request in
            let principal = try request.authenticated()
            try AuthService.requireSession(principal)
            return try .json(
                s.updateMe(principal, try request.decodeJSON(UpdateMeRequest.self), origin: RequestOrigin(request)))
        }
        routes.post(
            "/v1/me/password", bodyLimit: limit,
            doc: RouteDoc(
                summary: "Change password", description: "Other sessions are signed out; this one continues.",
                tags: tags,
                requestBody: RequestBodyDoc(
                    schema: AuthSchemas.object(
                        ["current_password": AuthSchemas.string, "new_password": AuthSchemas.password],
                        required: ["current_password", "new_password"])),
                responses: [
                    ResponseDoc(204, "Changed", contentType: nil), AuthSchemas.invalid,
                    .problem(403, "Wrong current password"), AuthSchemas.unauthorized,
                ])
        ) { request in
            let principal = try request.authenticated()
            try AuthService.requireSession(principal)
            try s.changePassword(
                principal, try request.decodeJSON(ChangePasswordRequest.self), origin: RequestOrigin(request),
                session: s.sessionID(of: request))
            return .noContent
        }
        routes.delete(
            "/v1/me",
            doc: RouteDoc(
                summary: "Delete the account",
                description:
                    "Personal data is anonymised, every token and key revoked, and the account can never sign in again. "
                    + "Body: {\"password\": …}.",
                tags: tags, requestBody: passwordBody,
                responses: [
                    ResponseDoc(204, "Deleted", contentType: nil), .problem(403, "Wrong password"),
                    AuthSchemas.unauthorized,
                ])
        ) { request in
            let principal = try request.authenticated()
            try AuthService.requireSession(principal)
            try s.deleteAccount(
                principal, password: try request.decodeJSON(PasswordConfirmation.self).password,
                origin: RequestOrigin(request))
            return .noContent
        }
        routes.post(
            "/v1/me/email/verification", bodyLimit: limit,
            doc: RouteDoc(
                summary: "Mail the verification link again", tags: tags,
                responses: [
                    ResponseDoc(202, "Queued", contentType: nil), .problem(409, "Already verified"),
                    AuthSchemas.unauthorized,
                ])
        ) { request in
            let principal = try request.authenticated()
            try AuthService.requireSession(principal)
            try s.resendVerification(principal)
            return Response(status: .accepted)
        }
        routes.post(
            "/v1/me/2fa/totp", bodyLimit: limit,
            doc: RouteDoc(
                summary: "Start two-factor enrolment",
                description: "Returns a TOTP secret and its otpauth:// URI; confirm with a code to turn it on.",
                tags: tags,
                responses: [
                    ResponseDoc(
                        200, "Secret",
                        schema: AuthSchemas.object(
                            ["secret": AuthSchemas.string, "otpauth_uri": AuthSchemas.string],
                            required: ["secret", "otpauth_uri"])),
                    .problem(409, "Already on"), AuthSchemas.unauthorized,
                ])
        ) { request in
            let principal = try request.authenticated()
            try AuthService.requireSession(principal)
            return try .json(s.beginTOTP(principal))
        }
        routes.post(
            "/v1/me/2fa/totp/confirm", bodyLimit: limit,
            doc: RouteDoc(
                summary: "Turn two-factor on with a current code", tags: tags,
                requestBody: RequestBodyDoc(
                    schema: AuthSchemas.object(["code": AuthSchemas.string], required: ["code"])),
                responses: [
                    ResponseDoc(
                        200, "Ten single-use recovery codes, shown once",
                        schema: AuthSchemas.object(
                            ["recovery_codes": ["type": "array", "items": AuthSchemas.string]],
                            required: ["recovery_codes"])),
                    AuthSchemas.invalid, AuthSchemas.unauthorized,
                ])
        ) { request in
            let principal = try request.authenticated()
            try AuthService.requireSession(principal)
            return try .json(
                s.confirmTOTP(
                    principal, code: try request.decodeJSON(CodeBody.self).code, origin: RequestOrigin(request)))
        }
        routes.delete(
            "/v1/me/2fa/totp",
            doc: RouteDoc(
                summary: "Turn two-factor off", tags: tags, requestBody: passwordBody,
                responses: [
                    ResponseDoc(204, "Off", contentType: nil), .problem(403, "Wrong password"),
                    AuthSchemas.unauthorized,
                ])
        ) { request in
            let principal = try request.authenticated()
            try AuthService.requireSession(principal)
            try s.disableTOTP(
                principal, password: try request.decodeJSON(PasswordConfirmation.self).password,
                origin: RequestOrigin(request))
            return .noContent
        }
    }
}

struct CodeBody: Decodable {
    var code: String
}

extension AuthService {
    /// The session id (`sid`) of the request's access token, read again from the verified token.
    func sessionID(of request: Request) -> UUID? {
        guard let header = request.headers[.authorization], header.utf8.count > 7,
            let claims = try? signer.verify(String(header.dropFirst(7)), now: Int64(Date().timeIntervalSince1970)),
            let sid = claims.sid
        else { return nil }
        return UUID(uuidString: sid)
    }
}
