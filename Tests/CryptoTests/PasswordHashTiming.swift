import Crypto
import Testing

/// Prints (does not assert) what the default password policy costs on this machine, so the figure in
/// `ScryptParameters.default` can be checked. Other tests run concurrently, so on a loaded machine the
/// number is an upper bound; run this suite alone for a clean figure.
@Suite(.serialized)
struct PasswordHashTiming {
    @Test func scryptDefaultHashTime() throws {
        let hasher = PasswordHasher()
        var encoded = ""
        let samples = try (0..<5).map { _ in
            try ContinuousClock().measure { encoded = try hasher.hash("timing sample") }
        }.sorted()
        let milliseconds = Int((samples[2] / .milliseconds(1)).rounded())
        print("[crypto] scrypt default (\(ScryptParameters.default)): \(milliseconds) ms (median of 5)")
        #expect(hasher.verify("timing sample", against: encoded))
    }
}
