/// Text and attribute values for the XML formats (GPX, KML): the five predefined entities escaped, and
/// characters XML 1.0 forbids (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) dropped, since
/// a strict parser refuses the whole document for one of them.
enum XMLText {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with 7 decimals (about 1 cm), no exponent, `.` as the separator whatever the locale.
    static func coordinate(_ value: Double) -> String {
        let scaled = (value * 10_000_000).rounded()
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let whole = magnitude / 10_000_000
        var fraction = String(magnitude % 10_000_000)
        fraction = String(repeating: "0", count: 7 - fraction.count) + fraction
        return (negative ? "-" : "") + String(whole) + "." + fraction
    }
}
