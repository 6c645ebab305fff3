import Crypto
import Foundation
import Testing

/// RFC 6238 Appendix B vectors (8 digits, all three hashes) and the window and replay rules.
struct TOTPTests {
    static let times: [Int64] = [59, 1_111_111_109, 1_111_111_111, 1_234_567_890, 2_000_000_000, 20_000_000_000]
    static let sha1Secret = Array("12345678901234567890".utf8)

    static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    @Test func rfc6238SHA1() throws {
        let totp = try TOTP(digits: 8)
        let expected = ["94287082", "07081804", "14050471", "89005924", "69279037", "65353130"]
        for (time, code) in zip(Self.times, expected) {
            #expect(try totp.code(secret: Self.sha1Secret, at: Self.date(time)) == code, "T=\(time)")
        }
    }

    @Test func rfc6238SHA256() throws {
        let totp = try TOTP(digits: 8, algorithm: .sha256)
        let secret = Array("12345678901234567890123456789012".utf8)
        let expected = ["46119246", "68084774", "67062674", "91819424", "90698825", "77737706"]
        for (time, code) in zip(Self.times, expected) {
            #expect(try totp.code(secret: secret, at: Self.date(time)) == code, "T=\(time)")
        }
    }

    @Test func rfc6238SHA512() throws {
        let totp = try TOTP(digits: 8, algorithm: .sha512)
        let secret = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)
        let expected = ["90693936", "25091201", "99943326", "93441116", "38618901", "47863826"]
        for (time, code) in zip(Self.times, expected) {
            #expect(try totp.code(secret: secret, at: Self.date(time)) == code, "T=\(time)")
        }
    }

    @Test func defaultIsSixDigitsOfTheSameValue() throws {
        // The 6-digit code is the last six digits of the 8-digit one (same truncated value, mod 10^6).
        let totp = TOTP()
        #expect(try totp.code(secret: Self.sha1Secret, at: Self.date(59)) == "287082")
        #expect(try totp.code(secret: Self.sha1Secret, at: Self.date(1_111_111_109)) == "081804")
        #expect(try totp.timeStep(at: Self.date(59)) == 1)
        #expect(try totp.timeStep(at: Self.date(60)) == 2)
        #expect(try totp.timeStep(at: Self.date(-1)) == -1)
    }

    @Test func verifyReturnsTheMatchedStepWithinTheWindow() throws {
        let totp = TOTP()
        let now: Int64 = 1_700_000_000
        let step = now / 30
        let current = try totp.code(secret: Self.sha1Secret, timeStep: step)
        let previous = try totp.code(secret: Self.sha1Secret, timeStep: step - 1)
        let next = try totp.code(secret: Self.sha1Secret, timeStep: step + 1)
        let old = try totp.code(secret: Self.sha1Secret, timeStep: step - 2)
        let at = Self.date(now)
        #expect(totp.verify(code: current, secret: Self.sha1Secret, at: at) == step)
        #expect(totp.verify(code: previous, secret: Self.sha1Secret, at: at) == step - 1)
        #expect(totp.verify(code: next, secret: Self.sha1Secret, at: at) == step + 1)
        #expect(totp.verify(code: old, secret: Self.sha1Secret, at: at) == nil)
        #expect(totp.verify(code: old, secret: Self.sha1Secret, at: at, window: 2) == step - 2)
        #expect(totp.verify(code: previous, secret: Self.sha1Secret, at: at, window: 0) == nil)
        #expect(totp.verify(code: current, secret: Array("another secret 12345".utf8), at: at) == nil)
    }

    @Test func verifyRejectsReplaysOfUsedSteps() throws {
        let totp = TOTP()
        let at = Self.date(1_700_000_000)
        let step = try totp.timeStep(at: at)
        let current = try totp.code(secret: Self.sha1Secret, timeStep: step)
        let previous = try totp.code(secret: Self.sha1Secret, timeStep: step - 1)
        let used = try #require(totp.verify(code: current, secret: Self.sha1Secret, at: at))
        #expect(totp.verify(code: current, secret: Self.sha1Secret, at: at, after: used) == nil)
        // An earlier code is refused once a later one was accepted.
        #expect(totp.verify(code: previous, secret: Self.sha1Secret, at: at, after: used) == nil)
        #expect(totp.verify(code: previous, secret: Self.sha1Secret, at: at, after: step - 2) == step - 1)
    }

    /// Steps 910737 and 910738 share the code 911617 under the RFC secret (found by search). Accepting
    /// it must consume the later step, or the same code would be accepted again 30 s later.
    @Test func aCodeSharedByTwoStepsIsUsableOnce() throws {
        let totp = TOTP()
        #expect(try totp.code(secret: Self.sha1Secret, timeStep: 910_737) == "911617")
        #expect(try totp.code(secret: Self.sha1Secret, timeStep: 910_738) == "911617")
        let first = Self.date(910_737 * 30 + 15)
        let used = try #require(totp.verify(code: "911617", secret: Self.sha1Secret, at: first))
        #expect(used == 910_738)
        let thirtySecondsLater = first.addingTimeInterval(30)
        #expect(totp.verify(code: "911617", secret: Self.sha1Secret, at: thirtySecondsLater, after: used) == nil)
    }

    @Test(arguments: ["", "12345", "1234567", "12345a", " 123456", "１２３４５６", "-12345"])
    func malformedCodesNeverMatch(_ code: String) {
        #expect(TOTP().verify(code: code, secret: Self.sha1Secret, at: Self.date(59), window: 10) == nil)
    }

    @Test func invalidConfigurationsAreRefused() throws {
        #expect(throws: CryptoError.self) { try TOTP(digits: 5) }
        #expect(throws: CryptoError.self) { try TOTP(digits: 10) }
        #expect(throws: CryptoError.self) { try TOTP(digits: 6, period: 0) }
        #expect(TOTP().verify(code: "287082", secret: Self.sha1Secret, at: Self.date(59), window: 11) == nil)
        #expect(TOTP().verify(code: "287082", secret: Self.sha1Secret, at: Self.date(59), window: -1) == nil)
        #expect(throws: CryptoError.self) {
            try TOTP().code(secret: Self.sha1Secret, at: .distantFuture.addingTimeInterval(.infinity))
        }
        #expect(throws: CryptoError.self) { try TOTP().code(secret: [], timeStep: 1) }
        #expect(throws: CryptoError.self) { try TOTP().code(secret: Array(Self.sha1Secret.prefix(15)), timeStep: 1) }
        // The code an empty key would give (HOTP by hand) is still refused.
        let mac = try HMAC.authenticationCode(for: [0, 0, 0, 0, 0, 0, 0, 1], key: [], using: .sha1)
        let offset = Int(mac[19] & 0x0f)
        let binary = mac[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0x7fff_ffff
        let digits = String(binary % 1_000_000)
        let emptyKeyCode = String(repeating: "0", count: 6 - digits.count) + digits
        #expect(TOTP().verify(code: emptyKeyCode, secret: [], at: Self.date(59)) == nil)
    }

    @Test func secretsAreRandomAndBase32Encodable() throws {
        let secret = try TOTP.generateSecret()
        #expect(secret.count == 20)
        #expect(try Base32.decode(Base32.encode(secret)) == secret)
        #expect(Base32.encode(secret).count == 32)
        #expect(try TOTP.generateSecret() != secret)
    }
}
