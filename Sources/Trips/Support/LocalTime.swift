/// A wall-clock time of day (`HH:MM` or `HH:MM:SS`, 24-hour) in the trip's time zone.
public struct LocalTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since midnight, 0..<86400.
    public let seconds: Int

    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 5 || b.count == 8, b[2] == UInt8(ascii: ":"), b.count == 5 || b[5] == UInt8(ascii: ":")
        else { return nil }
        func two(_ i: Int) -> Int? {
            guard (0x30...0x39).contains(b[i]), (0x30...0x39).contains(b[i + 1]) else { return nil }
            return Int(b[i] - 0x30) * 10 + Int(b[i + 1] - 0x30)
        }
        guard let h = two(0), let m = two(3), h < 24, m < 60 else { return nil }
        var s = 0
        if b.count == 8 {
            guard let v = two(6), v < 60 else { return nil }
            s = v
        }
        seconds = h * 3600 + m * 60 + s
    }

    public var description: String {
        let h = seconds / 3600
        let m = seconds / 60 % 60
        let s = seconds % 60
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return s == 0 ? "\(pad(h)):\(pad(m))" : "\(pad(h)):\(pad(m)):\(pad(s))"
    }

    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.seconds < b.seconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let t = LocalTime(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be a time as HH:MM")
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
