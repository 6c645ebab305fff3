/// A minimal JSON writer for the few bodies the HTTP layer renders itself (problem details); it escapes
/// per RFC 8259 and never allocates more than the output buffer.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init() {}

    public mutating func objectStart() {
        separator()
        bytes.append(0x7B)
        needsComma = false
    }
    public mutating func objectEnd() {
        bytes.append(0x7D)
        needsComma = true
    }
    public mutating func arrayStart() {
        separator()
        bytes.append(0x5B)
        needsComma = false
    }
    public mutating func arrayEnd() {
        bytes.append(0x5D)
        needsComma = true
    }

    public mutating func key(_ k: String) {
        separator()
        string(k)
        bytes.append(ASCII.colon)
        needsComma = false
    }

    public mutating func field(_ k: String, _ v: String) {
        key(k)
        separator()
        string(v)
        needsComma = true
    }
    public mutating func field(_ k: String, _ v: Int) {
        key(k)
        separator()
        bytes.append(contentsOf: String(v).utf8)
        needsComma = true
    }
    public mutating func field(_ k: String, _ v: Bool) {
        key(k)
        separator()
        bytes.append(contentsOf: (v ? "true" : "false").utf8)
        needsComma = true
    }

    /// A member whose value is already encoded JSON (the caller vouches for its validity).
    public mutating func rawField(_ k: String, _ json: [UInt8]) {
        key(k)
        bytes.append(contentsOf: json)
        needsComma = true
    }

    public mutating func value(_ v: String) {
        separator()
        string(v)
        needsComma = true
    }

    private mutating func separator() {
        if needsComma { bytes.append(ASCII.comma) }
    }

    private mutating func string(_ s: String) {
        Self.appendString(s, to: &bytes)
    }

    /// Appends `s` as a JSON string literal (RFC 8259 escaping), copying runs that need no escape in
    /// one go. The one JSON string escaper of the code base: Kernel's encoders use it too.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                runStart = i + 1
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                case 0x08: out.append(contentsOf: [0x5C, 0x62])
                case 0x0C: out.append(contentsOf: [0x5C, 0x66])
                default:
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
                }
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        out.append(0x22)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
