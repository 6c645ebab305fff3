import Crypto
import Foundation
import Postgres
import TestSupport
import Testing

/// The sections Auth and Trips register for a user's data export (GDPR access): every one present and
/// valid JSON, the user's data in them, no credential or digest, nobody else's data.
@Suite struct AccountDataTests {
    static let sections = ["account", "sessions", "api_keys", "audit_log", "login_failures", "trips"]

    @Test func everySectionHoldsTheUsersDataAndNoSecret() throws {
        let app = try AuthApp()
        let tag = AccountKit.tag()
        let a = try app.register(name: "Ada \(tag)")
        let b = try app.register(name: "Bob \(tag)")
        let aID = try #require(UUID(uuidString: a.id))
        var secrets = [a.password, a.accessToken, a.refreshToken]

        // A second session from a recognisable client, refreshed once (two tokens in one family).
        let login = try app.call(
            "POST", "/v1/auth/login", json: ["email": a.email, "password": a.password],
            headers: ["User-Agent: export-test-agent/\(tag)"])
        #expect(login.status == 200)
        let firstRefresh = try #require(login.string("refresh_token"))
        let refreshed = try AccountKit.refresh(app, firstRefresh)
        #expect(refreshed.status == 200)
        let access = try #require(refreshed.string("access_token"))
        secrets += [firstRefresh, try #require(refreshed.string("refresh_token")), access]

        let keyName = "export key \(tag)"
        let key = try AccountKit.createKey(app, access, scopes: ["trips:read"], name: keyName)
        secrets.append(key)

        // Two-factor on: the secret and the recovery codes must stay out.
        let begin = try app.call("POST", "/v1/me/2fa/totp", token: access)
        let totpText = try #require(begin.string("secret"))
        let confirm = try app.call(
            "POST", "/v1/me/2fa/totp/confirm",
            json: ["code": try TOTP().code(secret: try Base32.decode(totpText), at: Date())], token: access)
        #expect(confirm.status == 200)
        let codes = try #require(confirm.json["recovery_codes"] as? [String])
        secrets += [totpText] + codes

        // A trip with Bob in it, an invitation to an address without an account, a share link.
        let title = "Export trip \(tag)"
        let trip = try TripKit.createTrip(app, access, TripKit.tripBody(title: title))
        let pending = "pending-\(tag)@example.com"
        for (email, role) in [(b.email, "editor"), (pending, "viewer")] {
            let r = try app.call(
                "POST", "/v1/trips/\(trip)/members", json: ["email": email, "role": role], token: access)
            #expect(r.status == 201)
        }
        let link = try app.call(
            "POST", "/v1/trips/\(trip)/share-links", json: ["sections": ["itinerary"]], token: access)
        #expect(link.status == 201)
        secrets.append(try #require(link.string("token")))

        // Bob's own things, which must not show up in Ada's export.
        let bobKeyName = "bob key \(tag)"
        _ = try AccountKit.createKey(app, b.accessToken, scopes: ["trips:read"], name: bobKeyName)
        let bobTitle = "Bob only trip \(tag)"
        _ = try TripKit.createTrip(app, b.accessToken, TripKit.tripBody(title: bobTitle))

        // Last, so a successful sign-in does not clear the counter.
        #expect(try AccountKit.login(app, a.email, "not the password at all").status == 401)

        let exported = try Self.collect(app, aID)
        #expect(Set(Self.sections).isSubset(of: Set(exported.map(\.name))))
        let docs = try Self.parse(exported)

        let account = try #require(docs["account"]?["account"] as? [String: Any])
        #expect(account["id"] as? String == a.id)
        #expect(account["email"] as? String == a.email)
        #expect(account["display_name"] as? String == "Ada \(tag)")
        #expect(account["role"] as? String == "user")
        #expect(account["email_verified"] as? Bool == false)
        #expect(account["two_factor_enabled"] as? Bool == true)
        #expect(account["two_factor_enabled_at"] is String)
        #expect(account["recovery_codes_remaining"] as? Int == 10)
        #expect(account["created_at"].flatMap { $0 as? String }.flatMap(Self.rfc3339) != nil)
        let mailed = try #require(docs["account"]?["email_links"] as? [[String: Any]])
        #expect(mailed.contains { $0["purpose"] as? String == "email_verify" && $0["email"] as? String == a.email })

        let sessions = try #require(docs["sessions"]?["sessions"] as? [[String: Any]])
        #expect(sessions.count == 2)
        let agentSession = try #require(
            sessions.first { session in
                (session["tokens"] as? [[String: Any]] ?? []).contains {
                    $0["user_agent"] as? String == "export-test-agent/\(tag)"
                }
            })
        #expect((agentSession["tokens"] as? [[String: Any]])?.count == 2)
        #expect(agentSession["active"] as? Bool == true)
        #expect(agentSession["last_used_at"].flatMap { $0 as? String }.flatMap(Self.rfc3339) != nil)

        let keys = try #require(docs["api_keys"]?["api_keys"] as? [[String: Any]])
        #expect(keys.count == 1)
        #expect(keys.first?["name"] as? String == keyName)
        #expect(keys.first?["scopes"] as? [String] == ["trips:read"])
        let prefix = try #require(keys.first?["prefix"] as? String)
        #expect(key.hasPrefix(prefix) && prefix.count < key.count - 20)

        let audit = try #require(docs["audit_log"]?["audit_log"] as? [[String: Any]])
        let actions = audit.compactMap { $0["action"] as? String }
        for action in ["register", "login_success", "api_key_created", "totp_enabled", "login_failure"] {
            #expect(actions.contains(action), "audit_log lacks \(action)")
        }
        let created = try #require(audit.first { $0["action"] as? String == "api_key_created" })
        #expect((created["detail"] as? [String: String])?["scopes"] == "trips:read")
        #expect(created["actor"] as? String == "you")
        let failure = try #require(audit.first { $0["action"] as? String == "login_failure" })
        #expect((failure["detail"] as? [String: String])?["reason"] == "password")
        #expect(failure["ip"] as? String == "127.0.0.1")

        let failures = try #require(docs["login_failures"]?["login_failures"] as? [[String: Any]])
        #expect(failures.first?["failures"] as? Int == 1)

        let trips = try #require(docs["trips"])
        let memberships = try #require(trips["memberships"] as? [[String: Any]])
        #expect(memberships.count == 1)
        #expect(memberships.first?["trip_id"] as? String == trip)
        #expect(memberships.first?["title"] as? String == title)
        #expect(memberships.first?["role"] as? String == "owner")
        #expect(memberships.first?["joined_at"] is String)
        let sent = try #require(trips["invitations_sent"] as? [[String: Any]])
        #expect(sent.map { $0["email"] as? String } == [pending])
        #expect((trips["invitations_received"] as? [Any])?.isEmpty == true)
        let links = try #require(trips["share_links"] as? [[String: Any]])
        #expect(links.first?["trip_id"] as? String == trip)
        #expect(links.first?["sections"] as? [String] == ["itinerary"])

        // Nothing secret: the given secrets, their stored digests, the password hash, the schema's words.
        let stored = try app.database.pool.query("SELECT password_hash, totp_secret FROM users WHERE id = $1", [aID])[0]
        let hash = try stored.decode(0, as: String.self)
        let sealed = try stored.decode(1, as: Data.self)
        var forbidden = secrets + LeakGuard.markers + [hash, String(hash.prefix(24))]
        forbidden += try secrets.map { Hex.encode(Array(try AccountKit.digest($0))) }
        forbidden += try secrets.map { Base64.encode(Array(try AccountKit.digest($0))) }
        forbidden += [Hex.encode(Array(sealed)), Base64.encode(Array(sealed))]
        forbidden += [b.id, b.email, "Bob \(tag)", bobKeyName, bobTitle]
        for (name, json) in exported {
            let text = String(decoding: json, as: UTF8.self)
            for word in forbidden where !word.isEmpty {
                #expect(!text.contains(word), "\(name) contains \(word.prefix(12))…")
            }
        }

        // Bob's export has his membership of Ada's trip, his own trip and key, and nothing of Ada's.
        let bob = try Self.collect(app, try #require(UUID(uuidString: b.id)))
        let bobDocs = try Self.parse(bob)
        let bobTrips = (bobDocs["trips"]?["memberships"] as? [[String: Any]] ?? []).compactMap {
            $0["title"] as? String
        }
        #expect(Set(bobTrips) == [title, bobTitle])
        #expect((bobDocs["api_keys"]?["api_keys"] as? [[String: Any]])?.map { $0["name"] as? String } == [bobKeyName])
        for (name, json) in bob {
            let text = String(decoding: json, as: UTF8.self)
            for word in [a.id, a.email, "Ada \(tag)", keyName, pending, "export-test-agent"] {
                #expect(!text.contains(word), "Bob's \(name) contains \(word)")
            }
        }
    }

    /// An invitation waiting under a user's address (given before they changed to it) is theirs; an
    /// administrator's change shows who acted only as "someone else"; an unknown id gets empty sections.
    @Test func invitationsReceivedAdministratorEventsAndUnknownAccounts() throws {
        let app = try AuthApp()
        let tag = AccountKit.tag()
        let owner = try app.register(name: "Owner \(tag)")
        let admin = try app.register(name: "Admin \(tag)")
        try app.promote(admin)
        let adminToken = try AccountKit.accessToken(app, admin)
        let user = try app.register(name: "User \(tag)")
        let userID = try #require(UUID(uuidString: user.id))

        let newAddress = "moved-\(tag)@example.com"
        let title = "Invited trip \(tag)"
        let trip = try TripKit.createTrip(app, owner.accessToken, TripKit.tripBody(title: title))
        let invite = try app.call(
            "POST", "/v1/trips/\(trip)/members", json: ["email": newAddress, "role": "viewer"], token: owner.accessToken
        )
        #expect(invite.status == 201)
        let moved = try app.call("PATCH", "/v1/me", json: ["email": newAddress], token: user.accessToken)
        #expect(moved.status == 200)
        let promoted = try app.call(
            "PATCH", "/v1/admin/users/\(user.id)", json: ["role": "admin"], token: adminToken,
            headers: ["User-Agent: admin-agent-\(tag)"])
        #expect(promoted.status == 200)

        let exported = try Self.collect(app, userID)
        let docs = try Self.parse(exported)
        #expect(((docs["account"]?["account"] as? [String: Any])?["email"] as? String) == newAddress)
        #expect(((docs["account"]?["account"] as? [String: Any])?["role"] as? String) == "admin")
        let received = try #require(docs["trips"]?["invitations_received"] as? [[String: Any]])
        #expect(received.count == 1)
        #expect(received.first?["trip_id"] as? String == trip)
        #expect(received.first?["title"] as? String == title)
        #expect(received.first?["role"] as? String == "viewer")
        #expect(received.first?["email"] == nil)

        let audit = try #require(docs["audit_log"]?["audit_log"] as? [[String: Any]])
        let change = try #require(audit.first { $0["action"] as? String == "role_change" })
        #expect(change["actor"] as? String == "someone_else")
        #expect(change["subject"] as? String == "you")
        #expect(change["ip"] == nil && change["user_agent"] == nil)
        #expect((change["detail"] as? [String: String]) == ["from": "user", "to": "admin"])
        for (name, json) in exported {
            let text = String(decoding: json, as: UTF8.self)
            for word in [admin.id, admin.email, "admin-agent-\(tag)", owner.id, owner.email] {
                #expect(!text.contains(word), "\(name) contains \(word)")
            }
        }

        // The administrator's own export has the change as theirs, about someone else.
        let adminDocs = try Self.parse(try Self.collect(app, try #require(UUID(uuidString: admin.id))))
        let adminAudit = try #require(adminDocs["audit_log"]?["audit_log"] as? [[String: Any]])
        let made = try #require(adminAudit.first { $0["action"] as? String == "role_change" })
        #expect(made["actor"] as? String == "you")
        #expect(made["subject"] as? String == "someone_else")
        #expect(made["user_agent"] as? String == "admin-agent-\(tag)")
        #expect(
            adminAudit.contains { $0["action"] as? String == "admin_created" && $0["actor"] as? String == "system" })

        // No such account: every section is still a valid, empty document.
        let nobody = try Self.parse(try Self.collect(app, UUID()))
        #expect(Set(nobody.keys) == Set(Self.sections))
        #expect(nobody["account"]?["account"] == nil)
        for (section, key) in [("sessions", "sessions"), ("api_keys", "api_keys"), ("audit_log", "audit_log")] {
            #expect((nobody[section]?[key] as? [Any])?.isEmpty == true)
        }
        #expect((nobody["trips"]?["memberships"] as? [Any])?.isEmpty == true)
    }

    /// Every registered section for `user`, read in one repeatable-read snapshot as the exporter does.
    static func collect(_ app: AuthApp, _ user: UUID) throws -> [(name: String, json: [UInt8])] {
        try app.database.pool.transaction(TransactionOptions(isolation: .repeatableRead)) {
            try app.services.accountData.collect(user, on: $0)
        }
    }

    /// Each of our sections parsed as a JSON object carrying `"version": 1`.
    static func parse(_ exported: [(name: String, json: [UInt8])]) throws -> [String: [String: Any]] {
        var docs: [String: [String: Any]] = [:]
        for (name, json) in exported where sections.contains(name) {
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any], "\(name)")
            #expect(doc["version"] as? Int == 1, "\(name) version")
            docs[name] = doc
        }
        return docs
    }

    static func rfc3339(_ text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
