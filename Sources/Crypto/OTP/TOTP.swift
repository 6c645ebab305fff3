import Foundation

/// Time-based one-time passwords (RFC 6238, over HOTP, RFC 4226), as shown by authenticator apps.
///
/// The default is what every app assumes: HMAC-SHA1, 30-second steps, 6 digits. `verify` compares in
/// constant time and returns the matched time step; store it and pass it back as `after` next time so a
/// code can never be used twice (RFC 6238 §5.2). Rate-limit attempts: 6 digits is only 10^6 guesses.
public struct TOTP: Sendable, Hashable {
    /// Secret length for new enrolments: 160 bits, RFC 4226's recommendation.
    public static let secretByteCount = 20
    /// Shortest secret accepted: 128 bits, RFC 4226's requirement (R6). Stops an empty or truncated
    /// secret, which would make every code predictable, from ever producing one.
    public static let minimumSecretByteCount = 16
    /// Largest accepted `window`: more would accept codes minutes old.
    public static let maximumWindow = 10

    public let digits: Int
    public let period: Int
    public let algorithm: HashAlgorithm

    /// The standard configuration: SHA-1, 30 s, 6 digits.
    public init() {
        self.digits = 6
        self.period = 30
        self.algorithm = .sha1
    }

    /// A custom configuration. Throws unless `digits` is 6...9 (HOTP truncation yields 31 bits) and
    /// `period` is 1...300 seconds.
    public init(digits: Int, period: Int = 30, algorithm: HashAlgorithm = .sha1) throws(CryptoError) {
        guard (6...9).contains(digits) else { throw .invalidParameter("TOTP digits must be 6...9") }
        guard (1...300).contains(period) else { throw .invalidParameter("TOTP period must be 1...300 s") }
        self.digits = digits
        self.period = period
        self.algorithm = algorithm
    }

    /// A new random secret; show it to the user as `Base32.encode(secret)`.
    public static func generateSecret() throws(CryptoError) -> [UInt8] {
        try SecureRandom.bytes(secretByteCount)
    }

    /// The time step containing `date`: floor(unix seconds / period). Throws for dates no clock shows.
    public func timeStep(at date: Date) throws(CryptoError) -> Int64 {
        let steps = (date.timeIntervalSince1970 / Double(period)).rounded(.down)
        // ±2^53 keeps the conversion exact and far from Int64's limits.
        guard steps.isFinite, abs(steps) < 9_007_199_254_740_992 else { throw .invalidParameter("date out of range") }
        return Int64(steps)
    }

    /// The code for `date`, zero-padded to `digits`.
    public func code(secret: [UInt8], at date: Date) throws(CryptoError) -> String {
        try code(secret: secret, timeStep: timeStep(at: date))
    }

    /// The code for time step `step` (HOTP with the step as counter). Throws `invalidParameter` for a
    /// secret shorter than `minimumSecretByteCount`.
    public func code(secret: [UInt8], timeStep step: Int64) throws(CryptoError) -> String {
        guard secret.count >= Self.minimumSecretByteCount else {
            throw .invalidParameter("TOTP secret must be at least \(Self.minimumSecretByteCount) bytes")
        }
        let counter = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: step) >> (56 - 8 * UInt64($0))) }
        let mac = try HMAC.authenticationCode(for: counter, key: secret, using: algorithm)
        // RFC 4226 §5.3 dynamic truncation: 31 bits at an offset chosen by the last nibble.
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = mac[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0x7fff_ffff
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The time step whose code is `code`, searching `window` steps either side of `date` (clock drift
    /// and typing time), or nil. Steps at or before `lastUsedStep` never match, which rejects replays.
    /// `code` must be exactly `digits` ASCII digits; strip spaces before calling.
    public func verify(
        code: String, secret: [UInt8], at date: Date, window: Int = 1, after lastUsedStep: Int64? = nil
    ) -> Int64? {
        let candidate = Array(code.utf8)
        guard (0...Self.maximumWindow).contains(window), candidate.count == digits,
            candidate.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let now = try? timeStep(at: date)
        else { return nil }
        // Newest first: returning the latest matching step blocks every earlier one, so a code that two
        // steps in the window happen to share still cannot be used twice.
        for step in ((now - Int64(window))...(now + Int64(window))).reversed() {
            if let lastUsedStep, step <= lastUsedStep { continue }
            guard let expected = try? self.code(secret: secret, timeStep: step) else { return nil }
            if ConstantTime.equals(Array(expected.utf8), candidate) { return step }
        }
        return nil
    }
}
