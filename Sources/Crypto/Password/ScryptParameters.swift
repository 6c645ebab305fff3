/// Cost parameters of scrypt (RFC 7914), validated against DoS caps on construction.
///
/// Work grows with N·r·p and memory with 128·r·N bytes. Parameters are stored in every password hash, so
/// the caps here are what stops a corrupted or planted hash row from making one login allocate gigabytes
/// or burn seconds of CPU.
public struct ScryptParameters: Sendable, Hashable, CustomStringConvertible {
    /// log2 of N, the CPU/memory cost.
    public let logN: Int
    /// Block size factor; 8 is what every recommendation uses (1 KiB blocks).
    public let r: Int
    /// Parallelisation factor. OpenSSL runs the p lanes one after another, so p multiplies time but
    /// not memory.
    public let p: Int

    /// The policy for new hashes: N=2^15, r=8, p=3.
    ///
    /// One of OWASP's equivalent minimum settings (N=2^17/p=1, 2^16/p=2, 2^15/p=3, 2^14/p=5, r=8): 3/4 of
    /// the work of the 128 MiB headline setting for 1/4 of its memory, 32 MiB per hash, so a 2-core pod
    /// hashing on both cores stays well inside a modest memory limit. Measured on the 2-core AMD EPYC dev
    /// box (OpenSSL 3.0): 270–330 ms per hash (2^16/p=1 takes ~200 ms at 64 MiB but is below OWASP's
    /// minimum; 2^17/p=1 ~410 ms at 128 MiB). Raise it with the hardware; `needsRehash` upgrades users at
    /// their next login.
    public static let `default` = ScryptParameters(unchecked: 15, r: 8, p: 3)

    /// Largest accepted log2(N).
    public static let maximumLogN = 20
    /// Largest accepted r.
    public static let maximumR = 32
    /// Largest accepted p.
    public static let maximumP = 16
    /// Largest accepted memory use: 8× the default.
    public static let maximumMemoryBytes = 256 << 20
    /// Largest accepted N·r·p, which bounds CPU time: about 10× the default, a few seconds.
    public static let maximumWork = 1 << 23

    /// Parameters after checking them against scrypt's own rules and the caps above.
    ///
    /// Throws `invalidParameter` for values scrypt cannot use and `parametersTooExpensive` for values
    /// past the caps.
    public init(logN: Int, r: Int, p: Int) throws(CryptoError) {
        guard logN >= 1, r >= 1, p >= 1 else { throw .invalidParameter("scrypt ln, r and p must be positive") }
        guard logN <= Self.maximumLogN, r <= Self.maximumR, p <= Self.maximumP else {
            throw .parametersTooExpensive(
                "scrypt ln=\(logN),r=\(r),p=\(p) exceeds ln≤\(Self.maximumLogN),r≤\(Self.maximumR),p≤\(Self.maximumP)")
        }
        // RFC 7914 §2: N must be less than 2^(128·r/8).
        guard logN < 16 * r else { throw .invalidParameter("scrypt N must be below 2^(16·r)") }
        self.init(unchecked: logN, r: r, p: p)
        guard memoryBytes <= Self.maximumMemoryBytes else {
            throw .parametersTooExpensive("scrypt needs \(memoryBytes >> 20) MiB, cap \(Self.maximumMemoryBytes >> 20)")
        }
        guard (1 << logN) * r * p <= Self.maximumWork else {
            throw .parametersTooExpensive("scrypt N·r·p exceeds \(Self.maximumWork)")
        }
    }

    private init(unchecked logN: Int, r: Int, p: Int) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// N itself.
    public var n: Int { 1 << logN }

    /// What OpenSSL allocates: V (128·r·(N+2) bytes) plus B (128·r·p bytes). Passed as its `maxmem`,
    /// whose own default (32 MiB) would refuse the default parameters.
    public var memoryBytes: Int { 128 * r * (n + 2) + 128 * r * p }

    /// Whether any parameter is below the same parameter of `policy`.
    public func isWeaker(than policy: ScryptParameters) -> Bool {
        logN < policy.logN || r < policy.r || p < policy.p
    }

    public var description: String { "ln=\(logN),r=\(r),p=\(p)" }
}
