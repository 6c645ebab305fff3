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

    public mutating func value(_ v: String) {
        separator()
        string(v)
        needsComma = true
    }

    private mutating func separator() {
        if needsComma { bytes.append(ASCII.comma) }
    }

    private mutating func string(_ s: String) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }
}
