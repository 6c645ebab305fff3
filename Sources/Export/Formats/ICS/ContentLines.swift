/// RFC 5545 §3.1 content lines: `NAME;PARAM=v:value` with CRLF endings, folded so no physical line
/// exceeds 75 octets (a continuation starts with one space), never inside a UTF-8 sequence.
struct ContentLines {
    static let maxOctets = 75

    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends one property. `value` is written as given: escape TEXT values with `text(_:)` first.
    mutating func property(_ name: String, _ value: String) { property(name, [], value) }

    mutating func property(_ name: String, _ parameters: [(String, String)], _ value: String) {
        var line = Array(name.utf8)
        for (key, parameterValue) in parameters {
            line.append(UInt8(ascii: ";"))
            line += Array(key.utf8)
            line.append(UInt8(ascii: "="))
            line += Self.parameter(parameterValue)
        }
        line.append(UInt8(ascii: ":"))
        line += Array(value.utf8)
        fold(line)
    }

    private mutating func fold(_ line: [UInt8]) {
        var start = 0
        var limit = Self.maxOctets
        while line.count - start > limit {
            var cut = start + limit
            // Back up to the first byte of a UTF-8 sequence (continuation bytes are 10xxxxxx).
            while cut > start, line[cut] & 0xC0 == 0x80 { cut -= 1 }
            bytes += line[start..<cut]
            bytes += [0x0D, 0x0A, 0x20]
            start = cut
            limit = Self.maxOctets - 1  // the leading space counts
        }
        bytes += line[start...]
        bytes += [0x0D, 0x0A]
    }

    /// A TEXT value (§3.3.11): backslash, semicolon and comma escaped, line breaks as `\n`, other
    /// control characters dropped (they are not allowed in a content line).
    static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var previousWasCR = false
        for scalar in s.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A parameter value: quoted when it holds `:`, `;` or `,`; DQUOTE and controls cannot appear at all.
    static func parameter(_ s: String) -> [UInt8] {
        let clean = s.utf8.filter { $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "\"") }
        let needsQuotes = clean.contains {
            $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ",")
        }
        return needsQuotes ? [UInt8(ascii: "\"")] + clean + [UInt8(ascii: "\"")] : Array(clean)
    }
}
