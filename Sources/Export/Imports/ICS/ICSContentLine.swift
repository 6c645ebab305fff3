/// One unfolded content line (RFC 5545 §3.1): `NAME;PARAM=value;PARAM="quoted":value`.
struct ICSContentLine: Sendable, Equatable {
    /// Upper-cased: names are case-insensitive.
    var name: String
    /// Parameter names upper-cased, values with their quotes removed (a list stays comma-separated).
    var parameters: [(name: String, value: String)]
    var value: String
    /// The physical line the content line starts on.
    var line: Int

    func parameter(_ name: String) -> String? {
        parameters.first(where: { $0.name == name })?.value
    }

    static func == (a: ICSContentLine, b: ICSContentLine) -> Bool {
        a.name == b.name && a.value == b.value && a.line == b.line
            && a.parameters.map(\.name) == b.parameters.map(\.name)
            && a.parameters.map(\.value) == b.parameters.map(\.value)
    }
}

/// Unfolding and content-line syntax, kept apart from what the properties mean.
enum ICSLines {
    /// Physical lines joined back into logical ones: a line that starts with a space or tab continues
    /// the previous one, minus that one character. CRLF and bare LF both end a line (files saved by
    /// hand or by Unix tools lose the CR). Blank lines are skipped. Each logical line keeps the
    /// number of its first physical line.
    static func unfold(_ bytes: [UInt8]) -> [(bytes: [UInt8], line: Int)] {
        var lines: [(bytes: [UInt8], line: Int)] = []
        var number = 0
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count {
            number += 1
            let lf = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            var end = lf
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            let physical = bytes[start..<end]
            start = lf + 1
            guard let first = physical.first else { continue }
            if first == 0x20 || first == 0x09, !lines.isEmpty {
                lines[lines.count - 1].bytes += physical.dropFirst()
            } else {
                lines.append((Array(physical), number))
            }
        }
        return lines
    }

    /// The syntax of one logical line; the error says what is malformed, on its line.
    static func parse(_ bytes: [UInt8], line: Int) throws(ImportError) -> ICSContentLine {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ImportError(line: line, "the file is not valid UTF-8")
        }
        if let c = text.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            throw ImportError(line: line, "the control character \(XMLCharacters.codePoint(c.value)) is not allowed")
        }
        var i = 0
        func token() -> String {
            let from = i
            while i < bytes.count, isNameByte(bytes[i]) { i += 1 }
            return String(decoding: bytes[from..<i], as: UTF8.self).uppercased()
        }
        let name = token()
        guard !name.isEmpty else { throw ImportError(line: line, "expected a content line like NAME:value") }
        var parameters: [(name: String, value: String)] = []
        while i < bytes.count, bytes[i] == UInt8(ascii: ";") {
            i += 1
            let parameter = token()
            guard !parameter.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: "=") else {
                throw ImportError(line: line, element: name, "expected a parameter like NAME=value after \";\"")
            }
            i += 1
            var values: [String] = []
            repeat {
                if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1 }
                if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                    guard let close = bytes[(i + 1)...].firstIndex(of: UInt8(ascii: "\"")) else {
                        throw ImportError(line: line, element: name, "the quoted value of \(parameter) is never closed")
                    }
                    values.append(String(decoding: bytes[(i + 1)..<close], as: UTF8.self))
                    i = close + 1
                } else {
                    let from = i
                    while i < bytes.count, !Self.endsUnquotedValue(bytes[i]) { i += 1 }
                    values.append(String(decoding: bytes[from..<i], as: UTF8.self))
                }
            } while i < bytes.count && bytes[i] == UInt8(ascii: ",")
            parameters.append((parameter, values.joined(separator: ",")))
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
            throw ImportError(line: line, element: name, "expected \":\" before the value")
        }
        return ICSContentLine(
            name: name, parameters: parameters, value: String(decoding: bytes[(i + 1)...], as: UTF8.self), line: line)
    }

    /// `;` `:` `,` and `"` cannot appear in an unquoted parameter value.
    private static func endsUnquotedValue(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ";") || b == UInt8(ascii: ":") || b == UInt8(ascii: ",") || b == UInt8(ascii: "\"")
    }

    /// `iana-token` and `x-name`: letters, digits and `-`.
    private static func isNameByte(_ b: UInt8) -> Bool {
        (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x2D
    }
}
