import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A time-ordered UUID (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, 12 bits of sub-millisecond
/// time, variant 10, 62 random bits. Ids sort by creation time, which keeps B-tree inserts local and
/// makes request ids in logs roughly chronological.
///
/// The 12 bits after the version carry the fraction of the millisecond (RFC 9562 §6.2 method 3), so ids
/// made on one machine in the same millisecond still sort by time at ~244 ns resolution.
public struct UUIDv7: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 128 bits, most significant first.
    public let high: UInt64
    public let low: UInt64

    /// A new id for the current time.
    public init() {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let nanos = UInt64(max(0, ts.tv_sec)) * 1_000_000_000 + UInt64(max(0, ts.tv_nsec))
        self.init(unixNanoseconds: nanos, random: RandomBytes.next())
    }

    /// An id for a given instant and random bits (deterministic; for tests and imports).
    public init(unixNanoseconds: UInt64, random: UInt64) {
        let millis = (unixNanoseconds / 1_000_000) & 0xFFFF_FFFF_FFFF
        let fraction = (unixNanoseconds % 1_000_000) * 4096 / 1_000_000  // 0..<4096
        high = millis << 16 | 0x7000 | fraction
        low = 0x8000_0000_0000_0000 | (random & 0x3FFF_FFFF_FFFF_FFFF)
    }

    /// Parses the canonical 8-4-4-4-12 hex form (either case); nil for anything else, including UUIDs
    /// of other versions, so a v4 id from a client cannot pass as one of ours.
    public init?(_ string: String) {
        let utf8 = Array(string.utf8)
        guard utf8.count == 36 else { return nil }
        var value: (UInt64, UInt64) = (0, 0)
        var nibbles = 0
        for (i, c) in utf8.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let v = Self.hexValue(c) else { return nil }
            if nibbles < 16 { value.0 = value.0 << 4 | UInt64(v) } else { value.1 = value.1 << 4 | UInt64(v) }
            nibbles += 1
        }
        guard (value.0 >> 12) & 0xF == 7, value.1 >> 62 == 0b10 else { return nil }
        high = value.0
        low = value.1
    }

    /// As Foundation's `UUID`, for binds and `Codable` models.
    public var uuid: UUID {
        let h = high.bigEndian
        let l = low.bigEndian
        return withUnsafeBytes(of: (h, l)) { raw in
            UUID(
                uuid: (
                    raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7], raw[8], raw[9], raw[10], raw[11],
                    raw[12], raw[13], raw[14], raw[15]
                ))
        }
    }

    /// A new time-ordered id as a `UUID`.
    public static func make() -> UUID { UUIDv7().uuid }

    /// Milliseconds since the Unix epoch when the id was made.
    public var unixMilliseconds: UInt64 { high >> 16 }

    /// Lowercase canonical form, e.g. `0190b1d2-7c3a-7f00-8a1b-2c3d4e5f6071`.
    public var description: String {
        String(unsafeUninitializedCapacity: 36) { buf in
            var i = 0
            func put(_ word: UInt64, _ from: Int, _ to: Int) {
                for nibble in stride(from: from, to: to, by: 1) {
                    if i == 8 || i == 13 || i == 18 || i == 23 {
                        buf[i] = UInt8(ascii: "-")
                        i += 1
                    }
                    buf[i] = Self.hexDigits[Int((word >> UInt64(60 - 4 * nibble)) & 0xF)]
                    i += 1
                }
            }
            put(high, 0, 16)
            put(low, 0, 16)
            return 36
        }
    }

    public static func < (a: UUIDv7, b: UUIDv7) -> Bool { (a.high, a.low) < (b.high, b.low) }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
