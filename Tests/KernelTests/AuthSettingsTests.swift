import Kernel
import Testing

@Suite struct AuthSettingsTests {
    static let secret = "s3cr3t-value-that-is-long-enough-0123456789"

    @Test func keysParseAndTheFirstLeads() throws {
        let c = try AppConfig.load(
            from: Environment([
                "JWT_SIGNING_KEYS": "k2:\(Self.secret),k1:\(Self.secret)x", "FIELD_ENCRYPTION_KEYS": "2:\(Self.secret)",
            ]), requireSecrets: true)
        #expect(c.auth.jwtSigningKeys.map(\.id) == ["k2", "k1"])
        #expect(c.auth.fieldEncryptionKeys.map(\.id) == ["2"])
        // Printing the configuration never shows a secret.
        #expect(!String(describing: c.auth.jwtSigningKeys).contains(Self.secret))
        #expect(!String(reflecting: c.auth.jwtSigningKeys[0]).contains(Self.secret))
    }

    @Test func serveRequiresKeysAndNamesBothWithoutEchoingValues() {
        do {
            _ = try AppConfig.load(
                from: Environment(["FIELD_ENCRYPTION_KEYS": "0:\(Self.secret)"]), requireSecrets: true)
            Issue.record("accepted missing/invalid keys")
        } catch {
            let text = error.description
            #expect(text.contains("JWT_SIGNING_KEYS"))
            #expect(text.contains("FIELD_ENCRYPTION_KEYS"))  // id 0 is out of range
            #expect(!text.contains(Self.secret))
        }
        #expect(throws: ConfigError.self) {
            try AppConfig.load(from: Environment(["JWT_SIGNING_KEYS": "k:short"]))
        }
        #expect(throws: ConfigError.self) {
            try AppConfig.load(from: Environment(["JWT_SIGNING_KEYS": "k:\(Self.secret),k:\(Self.secret)"]))
        }
    }

    @Test func rateLimitsAndBaseURL() throws {
        let c = try AppConfig.load(
            from: Environment([
                "RATE_LIMIT_LOGIN": "3/s", "RATE_LIMIT_API": "100/h", "PUBLIC_BASE_URL": "https://a.example/",
            ]))
        #expect(c.auth.loginLimit.limit == 3)
        #expect(c.auth.loginLimit.window == .seconds(1))
        #expect(c.auth.apiLimit.rateDescription == "100/h")
        #expect(c.auth.publicBaseURL == "https://a.example")
        for bad in ["3", "3/x", "0/m", "a/m", "3/m/2"] {
            #expect(throws: ConfigError.self) { try AppConfig.load(from: Environment(["RATE_LIMIT_LOGIN": bad])) }
        }
        #expect(throws: ConfigError.self) { try AppConfig.load(from: Environment(["PUBLIC_BASE_URL": "ftp://x"])) }
    }
}
