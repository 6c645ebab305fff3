internal import COpenSSL

/// Comparison of secrets (MACs, token hashes, password hashes, OTP codes) whose running time does not
/// depend on where the inputs first differ, so an attacker cannot find a valid value byte by byte.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes.
    ///
    /// Lengths are treated as public: unequal lengths return false at once without reading the contents.
    /// Every caller compares values of a fixed, known length (digests, MACs), so this leaks nothing.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
