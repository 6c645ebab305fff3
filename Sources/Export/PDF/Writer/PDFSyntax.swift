import Foundation

/// The small pieces of PDF syntax the writer and layout share. Everything is plain ASCII: user text
/// only ever enters a PDF as hex (glyph ids in content streams, UTF-16BE in text strings), so no
/// string escaping can go wrong.
enum PDFSyntax {
    /// A real number the short way: at most three decimals, no exponent, no trailing zeros.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let scaled = (value * 1000).rounded()
        if scaled == 0 { return "0" }
        let negative = scaled < 0
        let magnitude = Int(abs(scaled))
        var text = String(magnitude / 1000)
        let fraction = magnitude % 1000
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return negative ? "-" + text : text
    }

    /// A text string (`/Title`, …) as UTF-16BE with a byte-order mark, in hex: any Unicode survives.
    static func textString(_ text: String) -> String {
        var hex = "<FEFF"
        for unit in text.utf16 { hex += hex4(unit) }
        return hex + ">"
    }

    /// Four uppercase hex digits.
    static func hex4(_ value: UInt16) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([
            digits[Int(value >> 12)], digits[Int(value >> 8 & 0xF)], digits[Int(value >> 4 & 0xF)],
            digits[Int(value & 0xF)],
        ])
    }

    /// A date as `D:YYYYMMDDHHmmSSZ` (UTC).
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String {
            let v = v ?? 0
            return v < 10 ? "0\(v)" : "\(v)"
        }
        return "D:\(c.year ?? 1970)\(two(c.month))\(two(c.day))\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }

    /// Deflates `bytes` with zlib framing: what `/Filter /FlateDecode` means.
    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        try PDFDeflate.compress(bytes)
    }
}
