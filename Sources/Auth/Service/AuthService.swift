import Crypto
import Foundation
import Jobs
import Kernel
import Logging
import Mail
import Postgres
import Redis

/// Accounts, sessions, API keys and two-factor authentication (issue 4, DESIGN §6–7). Routes translate
/// HTTP to these methods; the methods own the rules and the SQL. Split by concern across
/// `AuthService+*.swift`.
public final class AuthService: Sendable {
    let pool: PostgresPool
    let redis: RedisPool?
    let jobs: JobClient
    let settings: AuthSettings
    let signer: JWTSigner
    let cipher: FieldCipher
    let hasher: PasswordHasher
    let hashing: HashingQueue
    let limiter: RateLimiter
    let deletionHooks: AccountDeletionHooks
    let registrationHooks: AccountRegistrationHooks
    /// Nil when neither SMTP nor a mail directory is configured: mail jobs then fail (and retry) with
    /// a logged reason rather than pretending to send.
    let mailer: (any Mailer)?
    let logger: Logger
    /// Verified against when the e-mail is unknown, so a wrong address costs the same time as a wrong
    /// password.
    let dummyHash: String

    public init(
        pool: PostgresPool, redis: RedisPool?, jobs: JobClient, settings: AuthSettings, mailer: (any Mailer)?,
        deletionHooks: AccountDeletionHooks = AccountDeletionHooks(),
        registrationHooks: AccountRegistrationHooks = AccountRegistrationHooks(),
        logger: Logger = Logger(label: "travelsense.auth")
    ) throws {
        self.pool = pool
        self.redis = redis
        self.jobs = jobs
        self.settings = settings
        self.deletionHooks = deletionHooks
        self.registrationHooks = registrationHooks
        self.mailer = mailer
        self.logger = logger
        signer = try JWTSigner(keys: try Self.signingKeys(settings.jwtSigningKeys))
        cipher = try settings.makeFieldCipher()
        hasher = PasswordHasher(
            policy: .scrypt(
                try ScryptParameters(
                    logN: settings.scryptLogN, r: ScryptParameters.default.r, p: ScryptParameters.default.p)))
        hashing = HashingQueue(concurrency: settings.hashingConcurrency, maxWaiting: 64)
        limiter = RateLimiter(redis: redis, failOpen: true, logger: logger)
        dummyHash = try hasher.hash(Base64URL.encode(try SecureRandom.bytes(16)))
    }

    /// The JWK Set served at `/.well-known/jwks.json`.
    public var jwks: [String: [[String: String]]] { signer.jwks }

    /// Domain-separated key material: one configured secret never serves two purposes.
    static func signingKeys(_ secrets: [NamedSecret]) throws -> [JWTSigner.Key] {
        try secrets.map {
            JWTSigner.Key(
                id: $0.id,
                privateKey: try Ed25519.PrivateKey(
                    seed: try AuthSettings.derive($0.secret, purpose: "travelsense jwt ed25519")))
        }
    }

    /// Hashes on the bounded queue (503 when it is full).
    func hashPassword(_ password: String) throws -> String {
        try hashing.run { try hasher.hash(password) }
    }

    /// Verifies on the bounded queue; a nil hash (unknown or deleted account) burns the same time.
    func verifyPassword(_ password: String, against encoded: String?) throws -> Bool {
        try hashing.run {
            let ok = hasher.verify(password, against: encoded ?? dummyHash)
            return ok && encoded != nil
        }
    }
}
