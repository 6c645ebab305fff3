/// Byte classes of RFC 9110/9112 as bitmasks over the 128 ASCII values (bytes >= 0x80 are in no class
/// unless said). Constants rather than tables so the parser's inner loop touches no lazy globals.
@usableFromInline
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let slash: UInt8 = 0x2F
    static let question: UInt8 = 0x3F
    static let comma: UInt8 = 0x2C
    static let percent: UInt8 = 0x25

    /// tchar: "!#$%&'*+-.^_`|~", DIGIT, ALPHA.
    @inline(__always) static func isToken(_ b: UInt8) -> Bool {
        b < 64
            ? (0x03ff_6cfa_0000_0000 as UInt64) >> b & 1 == 1
            : b < 128 ? (0x57ff_ffff_c7ff_fffe as UInt64) >> (b &- 64) & 1 == 1 : false
    }

    /// Visible ASCII (0x21...0x7E): what an origin-form request-target may contain.
    @inline(__always) static func isVisible(_ b: UInt8) -> Bool {
        b &- 0x21 < 0x5E
    }

    /// Characters of a Host value: unreserved, sub-delims, "%", and "[", "]", ":" for IP literals and ports.
    @inline(__always) static func isHostChar(_ b: UInt8) -> Bool {
        b < 64
            ? (0x2fff_7ff2_0000_0000 as UInt64) >> b & 1 == 1
            : b < 128 ? (0x47ff_fffe_afff_fffe as UInt64) >> (b &- 64) & 1 == 1 : false
    }

    /// field-vchar / SP / HTAB / obs-text: anything but CTLs (except HTAB) and DEL.
    @inline(__always) static func isFieldValueByte(_ b: UInt8) -> Bool {
        (b >= 0x20 && b != 0x7F) || b == 0x09
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b &- 0x30
        case 0x41...0x46: return b &- 0x41 &+ 10
        case 0x61...0x66: return b &- 0x61 &+ 10
        default: return nil
        }
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        b &- 0x41 < 26 ? b | 0x20 : b
    }
}
