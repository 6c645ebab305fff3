import HTTP

/// RFC 8259 string escaping shared by the JSON value encoder and the log line encoder, appending
/// straight into a byte buffer so neither builds intermediate `String`s.
enum JSONEncoding {
    /// Appends `s` as a quoted JSON string: `"` and `\` escaped, control characters as short escapes
    /// or `\u00XX`. Non-ASCII UTF-8 passes through (valid JSON, and readable in log viewers). The escaper
    /// itself is HTTP's `JSONWriter.appendString`, so the code base has one.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        JSONWriter.appendString(s, to: &out)
    }

    static func appendDouble(_ d: Double, to out: inout [UInt8]) {
        guard d.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if d == d.rounded(), abs(d) < 1e15 {
            out.append(contentsOf: String(Int64(d)).utf8)
        } else {
            // Swift's description is the shortest round-tripping form, e.g. "0.1" or "1e-07": valid JSON.
            out.append(contentsOf: d.description.utf8)
        }
    }
}
