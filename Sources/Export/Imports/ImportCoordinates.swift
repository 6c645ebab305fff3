/// Coordinates as GPX, KML and iCalendar `GEO` write them: plain decimals. `Double(_:)` alone would
/// also take `nan`, `inf` and hexadecimal floats, none of which is a position.
enum ImportCoordinates {
    /// `[+-]digits[.digits][e[+-]digits]` (or `.5`), nothing else; surrounding whitespace is ignored.
    static func decimal(_ text: some StringProtocol) -> Double? {
        let b = Array(ImportText.trimmed(String(text)).utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        var count = digits()
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            count += digits()
        }
        guard count > 0 else { return nil }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == b.count, let value = Double(String(decoding: b, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    /// A latitude in [-90, 90], or the error naming the attribute (`lat`) and the text as written.
    static func latitude(_ text: String, _ what: String, line: Int, element: String) throws(ImportError) -> Double {
        try value(text, what, range: -90...90, line: line, element: element)
    }

    /// A longitude in [-180, 180].
    static func longitude(_ text: String, _ what: String, line: Int, element: String) throws(ImportError) -> Double {
        try value(text, what, range: -180...180, line: line, element: element)
    }

    private static func value(
        _ text: String, _ what: String, range: ClosedRange<Double>, line: Int, element: String
    ) throws(ImportError) -> Double {
        let shown = quoted(text)
        guard let v = decimal(text) else {
            throw ImportError(line: line, element: element, "\(what) \(shown) is not a number")
        }
        guard range.contains(v) else {
            throw ImportError(line: line, element: element, "\(what) \(shown) is out of range")
        }
        return v
    }

    /// The offending text in a message, shortened so a megabyte of garbage does not become the message.
    static func quoted(_ text: String) -> String {
        let t = ImportText.trimmed(text)
        return "\"" + (t.count > 40 ? String(t.prefix(40)) + "…" : t) + "\""
    }
}
