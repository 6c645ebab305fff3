import Crypto
import Foundation
import Kernel
import Testing

/// An `AuthApp` whose every response is checked for leaked secrets: no body or header may carry a
/// password the tests sent, the SHA-256 of a refresh token seen so far (as stored), anything about
/// scrypt, or a column name like `password_hash` / `token_hash`.
final class LeakCheckedApp {
    let app: AuthApp
    private var passwords: Set<String> = []
    private var refreshTokens: Set<String> = []

    init(_ app: AuthApp) {
        self.app = app
    }

    convenience init(configure: (inout AppConfig) -> Void = { _ in }) throws {
        self.init(try AuthApp(configure: configure))
    }

    /// `AuthApp.call`, then the leak check on the response.
    @discardableResult
    func call(
        _ method: String, _ path: String, json: [String: Any]? = nil, token: String? = nil, headers: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> APIResponse {
        for key in ["password", "new_password", "current_password"] {
            if let p = json?[key] as? String { remember(password: p) }
        }
        if let t = json?["refresh_token"] as? String { refreshTokens.insert(t) }
        let r = try app.call(method, path, json: json, token: token, headers: headers)
        check(r, sourceLocation: sourceLocation)
        return r
    }

    /// A body of any content type on a fresh connection (for 415 and malformed-JSON cases).
    func send(
        _ method: String, _ path: String, body: String, contentType: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> APIResponse {
        var headers = ["Content-Length: \(body.utf8.count)"]
        if let contentType { headers.append("Content-Type: \(contentType)") }
        let client = try RawClient(port: app.port, timeout: .seconds(10))
        defer { client.close() }
        try client.send(request(method, path, headers: headers, body: body))
        let r = APIResponse(try client.readFinalResponse().final)
        check(r, sourceLocation: sourceLocation)
        return r
    }

    /// Registers a fresh user (as `AuthApp.register`, through the leak check).
    func register(
        email: String = "user-\(UUID().uuidString.prefix(8).lowercased())@example.com",
        password: String = "a fine long password", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Account {
        let r = try call(
            "POST", "/v1/auth/register", json: ["email": email, "password": password, "display_name": "Test User"],
            sourceLocation: sourceLocation)
        guard r.status == 201, let access = r.string("access_token"), let refresh = r.string("refresh_token"),
            let id = (r.json["user"] as? [String: Any])?["id"] as? String
        else { throw TestFailure("register answered \(r.status): \(r.text)") }
        return Account(id: id, email: email, password: password, accessToken: access, refreshToken: refresh)
    }

    func remember(password: String) {
        // Very short strings could match by chance inside random tokens; test passwords are longer.
        if password.count >= 6 { passwords.insert(password) }
    }

    func check(_ r: APIResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        if let t = r.string("refresh_token") { refreshTokens.insert(t) }
        let text = r.text + "\n" + r.raw.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        var forbidden = ["scrypt", "password_hash", "passwordhash", "token_hash", "tokenhash", "key_hash", "$ln="]
        forbidden += passwords.map { $0.lowercased() }
        for token in refreshTokens {
            guard let digest = try? SHA256.hash(Array(token.utf8)) else { continue }
            forbidden += [Hex.encode(digest), Base64.encode(digest, padding: false), Base64URL.encode(digest)]
                .map { $0.lowercased() }
        }
        let lower = text.lowercased()
        for needle in forbidden where lower.contains(needle) {
            Issue.record(
                "response \(r.status) leaks \(needle.debugDescription): \(r.text.prefix(300))",
                sourceLocation: sourceLocation)
        }
    }
}

/// The problem body without the parts that differ per request, as canonical JSON.
func problemCore(_ r: APIResponse) -> String {
    var json = r.json
    json["instance"] = nil
    json["request_id"] = nil
    let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}

/// The fields named in a validation problem's `errors` list.
func problemFields(_ r: APIResponse) -> Set<String> {
    Set((r.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
}

func isProblem(_ r: APIResponse) -> Bool {
    r.header("Content-Type")?.hasPrefix("application/problem+json") == true && r.json["status"] as? Int == r.status
}

func hasInvalidTokenChallenge(_ r: APIResponse) -> Bool {
    guard let challenge = r.header("WWW-Authenticate") else { return false }
    return challenge.hasPrefix("Bearer") && challenge.contains(#"error="invalid_token""#)
}

@Suite struct RegisterLoginTests {
    @Test func registerAnswersATokenPairAndNormalisesTheEmail() throws {
        let app = try LeakCheckedApp()
        let password = "correct horse battery"
        let r = try app.call(
            "POST", "/v1/auth/register",
            json: ["email": "  Ana@Example.COM ", "password": password, "display_name": "Ana"])
        try #require(r.status == 201, "\(r.text)")
        #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(Set(r.json.keys) == ["user", "access_token", "refresh_token", "token_type", "expires_in"])
        #expect(r.string("token_type") == "Bearer")
        #expect(r.json["expires_in"] as? Int == 900)
        let access = try #require(r.string("access_token"))
        #expect(access.split(separator: ".").count == 3)
        #expect(r.string("refresh_token")?.hasPrefix("rt_") == true)
        let user = try #require(r.json["user"] as? [String: Any])
        #expect(user["email"] as? String == "ana@example.com")
        #expect(user["display_name"] as? String == "Ana")
        #expect(user["role"] as? String == "user")
        let id = try #require(user["id"] as? String)
        #expect(UUID(uuidString: id) != nil && id == id.lowercased())

        let me = try app.call("GET", "/v1/me", token: access)
        #expect(me.status == 200)
        #expect(me.string("id") == id)
        #expect(me.string("email") == "ana@example.com")

        // Login with the address typed differently finds the same account.
        let login = try app.call("POST", "/v1/auth/login", json: ["email": "ANA@example.com ", "password": password])
        #expect(login.status == 200, "\(login.text)")
        #expect((login.json["user"] as? [String: Any])?["id"] as? String == id)

        // Stored lower-cased.
        let stored = try app.app.database.pool.query(
            "SELECT email FROM users WHERE id = $1", [try #require(UUID(uuidString: id))])
        #expect(try stored.first?.decode(0, as: String.self) == "ana@example.com")
    }

    @Test func aTakenEmailInAnyCaseIsAConflictNamingEmail() throws {
        let app = try LeakCheckedApp()
        _ = try app.register(email: "bob@example.com")
        for email in ["bob@example.com", "BOB@Example.Com", " bob@EXAMPLE.com"] {
            let r = try app.call(
                "POST", "/v1/auth/register",
                json: ["email": email, "password": "another fine password", "display_name": "Bob 2"])
            #expect(r.status == 409, "\(email): \(r.text)")
            #expect(isProblem(r), "\(r.text)")
            #expect(problemFields(r) == ["email"], "\(r.text)")
        }
        let count = try app.app.database.pool.query("SELECT count(*)::int FROM users")
        #expect(try count.first?.decode(0, as: Int.self) == 1)
    }

    @Test func passwordsOutsideThePolicyAreRefusedNamingPassword() throws {
        let app = try LeakCheckedApp()
        let bad = ["short12", String(repeating: "x", count: 257), "password123"]
        for (i, password) in bad.enumerated() {
            let r = try app.call(
                "POST", "/v1/auth/register",
                json: ["email": "p\(i)@example.com", "password": password, "display_name": "P"])
            #expect(r.status == 400, "\(password.prefix(12)): \(r.text)")
            #expect(isProblem(r), "\(r.text)")
            #expect(problemFields(r) == ["password"], "\(password.prefix(12)): \(r.text)")
        }
        // The bounds themselves are fine.
        for (i, password) in ["eight ch", String(repeating: "y", count: 256)].enumerated() {
            let r = try app.call(
                "POST", "/v1/auth/register",
                json: ["email": "ok\(i)@example.com", "password": password, "display_name": "P"])
            #expect(r.status == 201, "\(password.count) characters: \(r.text)")
        }
        let count = try app.app.database.pool.query("SELECT count(*)::int FROM users")
        #expect(try count.first?.decode(0, as: Int.self) == 2)
    }

    @Test func everyBadFieldIsNamedAtOnce() throws {
        let app = try LeakCheckedApp()
        let r = try app.call(
            "POST", "/v1/auth/register", json: ["email": "not-an-address", "password": "short", "display_name": "   "])
        #expect(r.status == 400)
        #expect(isProblem(r), "\(r.text)")
        #expect(problemFields(r) == ["email", "password", "display_name"], "\(r.text)")
        #expect(r.string("type") != nil && r.string("title") != nil && r.string("detail") != nil)
    }

    @Test func onlyWellFormedJSONIsAccepted() throws {
        let app = try LeakCheckedApp()
        let body = #"{"email":"c@example.com","password":"a fine long password","display_name":"C"}"#
        for contentType in ["text/plain", "application/x-www-form-urlencoded", "application/xml"] {
            let r = try app.send("POST", "/v1/auth/register", body: body, contentType: contentType)
            #expect(r.status == 415, "\(contentType): \(r.text)")
            #expect(isProblem(r), "\(r.text)")
        }
        for malformed in [#"{"email":"c@example.com","password":"#, "not json", "[1,2]", #"{"email": 5}"#] {
            let r = try app.send("POST", "/v1/auth/register", body: malformed, contentType: "application/json")
            #expect(r.status == 400, "\(malformed): \(r.text)")
            #expect(isProblem(r), "\(r.text)")
        }
        let login = try app.send("POST", "/v1/auth/login", body: "{", contentType: "application/json")
        #expect(login.status == 400, "\(login.text)")
        let count = try app.app.database.pool.query("SELECT count(*)::int FROM users")
        #expect(try count.first?.decode(0, as: Int.self) == 0)
    }

    @Test func aWrongPasswordAndAnUnknownEmailLookTheSame() throws {
        let app = try LeakCheckedApp()
        let a = try app.register()
        let ok = try app.call("POST", "/v1/auth/login", json: ["email": a.email, "password": a.password])
        try #require(ok.status == 200, "\(ok.text)")
        #expect(ok.string("token_type") == "Bearer")
        #expect(ok.json["expires_in"] as? Int == 900)
        #expect(ok.string("refresh_token") != a.refreshToken)
        let okAccess = try #require(ok.string("access_token"))
        #expect(try app.call("GET", "/v1/me", token: okAccess).status == 200)

        let wrong = try app.call("POST", "/v1/auth/login", json: ["email": a.email, "password": "not the password"])
        let unknown = try app.call(
            "POST", "/v1/auth/login", json: ["email": "nobody-\(UUID())@example.com", "password": "not the password"])
        let impossible = try app.call(
            "POST", "/v1/auth/login", json: ["email": "no at sign", "password": "whatever it is"])
        for r in [wrong, unknown, impossible] {
            #expect(r.status == 401, "\(r.text)")
            #expect(isProblem(r), "\(r.text)")
            #expect(r.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(r.string("access_token") == nil)
        }
        #expect(problemCore(wrong) == problemCore(unknown))
        #expect(problemCore(wrong) == problemCore(impossible))
        #expect(wrong.header("WWW-Authenticate") == unknown.header("WWW-Authenticate"))
        for key in ["type", "title", "detail"] {
            #expect(wrong.string(key) != nil && wrong.string(key) == unknown.string(key), "\(key)")
        }
    }

    @Test func aDisabledUserIsShutOutAtOnceAndCanReturnWhenEnabled() throws {
        let app = try LeakCheckedApp()
        let admin = try app.register()
        try app.app.promote(admin)
        // The role is in the token: sign in again to hold an admin token.
        let adminLogin = try app.call(
            "POST", "/v1/auth/login", json: ["email": admin.email, "password": admin.password])
        let adminToken = try #require(adminLogin.string("access_token"))
        let victim = try app.register()
        try #require(try app.call("GET", "/v1/me", token: victim.accessToken).status == 200)

        // Not an admin: refused.
        let byUser = try app.call(
            "PATCH", "/v1/admin/users/\(admin.id)", json: ["disabled": true], token: victim.accessToken)
        #expect(byUser.status == 403, "\(byUser.text)")

        let disable = try app.call("PATCH", "/v1/admin/users/\(victim.id)", json: ["disabled": true], token: adminToken)
        try #require(disable.status == 200, "\(disable.text)")
        let me = try app.call("GET", "/v1/me", token: victim.accessToken)
        #expect(me.status == 401, "\(me.text)")
        #expect(hasInvalidTokenChallenge(me), "\(me.header("WWW-Authenticate") ?? "none")")
        let login = try app.call("POST", "/v1/auth/login", json: ["email": victim.email, "password": victim.password])
        #expect(login.status == 403, "\(login.text)")
        #expect(isProblem(login))
        #expect(login.string("access_token") == nil)
        let refresh = try app.call("POST", "/v1/auth/refresh", json: ["refresh_token": victim.refreshToken])
        #expect(refresh.status == 401, "\(refresh.text)")

        let enable = try app.call("PATCH", "/v1/admin/users/\(victim.id)", json: ["disabled": false], token: adminToken)
        try #require(enable.status == 200, "\(enable.text)")
        let again = try app.call("POST", "/v1/auth/login", json: ["email": victim.email, "password": victim.password])
        try #require(again.status == 200, "\(again.text)")
        let againAccess: String = try #require(again.string("access_token"))
        let meAgain = try app.call("GET", "/v1/me", token: againAccess)
        #expect(meAgain.status == 200, "\(meAgain.text)")
        #expect(meAgain.string("id") == victim.id)
        // The admin was never affected.
        #expect(try app.call("GET", "/v1/me", token: adminToken).status == 200)
    }
}
