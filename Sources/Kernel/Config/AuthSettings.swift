import Foundation

/// A secret with an id (`kid:secret` in the environment). Never printed.
public struct NamedSecret: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    public let id: String
    public let secret: String

    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    public var description: String { "\(id):<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: ["id": id]) }
}

/// Auth's configuration (DESIGN §7). Signing and encryption keys come from the environment or
/// `*_FILE`; `travelsense dev` generates and keeps its own in the data directory.
public struct AuthSettings: Sendable {
    /// Shortest secret accepted: 32 characters, e.g. `openssl rand -base64 32`.
    public static let minimumSecretLength = 32

    /// The first signs access tokens, all verify (rotation without logging anyone out).
    public var jwtSigningKeys: [NamedSecret] = []
    /// The first seals new values, all open (ids 1–255).
    public var fieldEncryptionKeys: [NamedSecret] = []
    public var accessTokenTTL: Duration = .seconds(900)
    public var refreshTokenTTL: Duration = .seconds(30 * 86_400)
    /// Where links in e-mails point (`<base>/reset-password?token=…`).
    public var publicBaseURL = "http://127.0.0.1:8080"
    public var mailFrom = "TravelSense <no-reply@travelsense.invalid>"
    /// `smtp://` or `smtps://`; wins over `mailDirectory`.
    public var smtpURL: String?
    /// Mail written as `.eml` files here when no SMTP server is configured (dev, tests).
    public var mailDirectory: String?
    /// scrypt cost 2^N; raising it rehashes each password at its next login.
    public var scryptLogN = 15
    /// Password hashes computed at once (each takes a core for ~0.3 s at N = 2^15).
    public var hashingConcurrency = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
    /// Failed sign-ins for one address before it locks (then 1 min, doubling per further failure, ≤ 1 h).
    public var lockoutThreshold = 5
    public var registerLimit = RateLimitPolicy(name: "register", limit: 10, window: .seconds(3600))
    public var loginLimit = RateLimitPolicy(name: "login", limit: 10, window: .seconds(60))
    public var forgotLimit = RateLimitPolicy(name: "forgot", limit: 5, window: .seconds(3600))
    public var refreshLimit = RateLimitPolicy(name: "refresh", limit: 60, window: .seconds(60))
    public var apiLimit = RateLimitPolicy(name: "api", limit: 1200, window: .seconds(60))

    public init() {}

    static func load(from env: inout Environment, requireSecrets: Bool) -> AuthSettings {
        var a = AuthSettings()
        a.jwtSigningKeys = secrets(&env, "JWT_SIGNING_KEYS", required: requireSecrets) { id in
            !id.isEmpty && id.utf8.count <= 64
                && id.unicodeScalars.allSatisfy {
                    CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
                }
        }
        a.fieldEncryptionKeys = secrets(&env, "FIELD_ENCRYPTION_KEYS", required: requireSecrets) { id in
            UInt8(id).map { $0 >= 1 } ?? false
        }
        a.accessTokenTTL = env.seconds("ACCESS_TOKEN_TTL", default: a.accessTokenTTL, in: 60...3600)
        a.refreshTokenTTL = env.seconds("REFRESH_TOKEN_TTL", default: a.refreshTokenTTL, in: 3600...(366 * 86_400))
        a.publicBaseURL = env.string("PUBLIC_BASE_URL", default: a.publicBaseURL)
        if let url = URLComponents(string: a.publicBaseURL), ["http", "https"].contains(url.scheme ?? ""),
            url.host?.isEmpty == false, url.query == nil
        {
            if a.publicBaseURL.hasSuffix("/") { a.publicBaseURL.removeLast() }
        } else {
            env.problem("PUBLIC_BASE_URL", "must be an http(s) URL like https://app.example.com")
        }
        a.mailFrom = env.string("MAIL_FROM", default: a.mailFrom)
        // A control character here would end up in a mail header.
        if a.mailFrom.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            || !a.mailFrom.contains("@")
        {
            env.problem("MAIL_FROM", "must be an address, optionally with a name: TravelSense <no-reply@example.com>")
        }
        a.smtpURL = env.url("SMTP_URL", schemes: ["smtp", "smtps"])
        a.mailDirectory = env.string("MAIL_DIR")
        if let dir = a.mailDirectory, dir.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            env.problem("MAIL_DIR", "must be a directory path")
        }
        a.scryptLogN = env.int("PASSWORD_SCRYPT_LOG_N", default: a.scryptLogN, in: 10...20)
        a.hashingConcurrency = env.int("PASSWORD_HASH_CONCURRENCY", default: a.hashingConcurrency, in: 1...256)
        a.lockoutThreshold = env.int("LOGIN_LOCKOUT_THRESHOLD", default: a.lockoutThreshold, in: 1...1000)
        a.registerLimit = rate(&env, "RATE_LIMIT_REGISTER", a.registerLimit)
        a.loginLimit = rate(&env, "RATE_LIMIT_LOGIN", a.loginLimit)
        a.forgotLimit = rate(&env, "RATE_LIMIT_FORGOT", a.forgotLimit)
        a.refreshLimit = rate(&env, "RATE_LIMIT_REFRESH", a.refreshLimit)
        a.apiLimit = rate(&env, "RATE_LIMIT_API", a.apiLimit)
        return a
    }

    /// `id:secret[,id:secret…]`, ids unique and valid, secrets ≥ 32 characters.
    private static func secrets(
        _ env: inout Environment, _ name: String, required: Bool, validID: (String) -> Bool
    ) -> [NamedSecret] {
        guard let text = env.string(name) else {
            if required { env.problem(name, "is required (id:secret, secret ≥ \(minimumSecretLength) characters)") }
            return []
        }
        var out: [NamedSecret] = []
        for entry in text.split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            guard parts.count == 2, validID(String(parts[0])), parts[1].count >= minimumSecretLength,
                !out.contains(where: { $0.id == parts[0] })
            else {
                // Never echo the value: it is a secret.
                env.problem(
                    name,
                    "must be a comma-separated list of id:secret with unique valid ids and secrets of "
                        + "at least \(minimumSecretLength) characters")
                return []
            }
            out.append(NamedSecret(id: String(parts[0]), secret: String(parts[1])))
        }
        return out
    }

    /// `count/s|m|h|d`, e.g. `10/m`.
    private static func rate(_ env: inout Environment, _ name: String, _ current: RateLimitPolicy) -> RateLimitPolicy {
        guard let text = env.string(name) else { return current }
        if let policy = RateLimitPolicy(name: current.name, parsing: text) { return policy }
        env.problem(name, "must be count/unit with unit s, m, h or d (e.g. 10/m)")
        return current
    }
}

extension RateLimitPolicy {
    /// `10/m` → 10 per minute, the whole allowance usable at once.
    public init?(name: String, parsing text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let count = Int(parts[0]), (1...100_000_000).contains(count) else { return nil }
        let seconds: Int64
        switch parts[1] {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86_400
        default: return nil
        }
        self.init(name: name, limit: count, window: .seconds(seconds))
    }

    /// As the README writes it.
    public var rateDescription: String {
        let seconds = window.components.seconds
        let unit = [1: "s", 60: "m", 3600: "h", 86_400: "d"][seconds] ?? "\(seconds)s"
        return "\(limit)/\(unit)"
    }
}
