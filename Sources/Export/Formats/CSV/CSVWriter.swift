/// RFC 4180 CSV: a header row, CRLF line ends, UTF-8, a field quoted when it holds a comma, a quote or
/// a line break (quotes doubled). No byte-order mark: RFC 4180 has none and most readers take UTF-8.
///
/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first, and not
/// simply a number) gets a leading apostrophe: an exported note must never execute in someone's
/// spreadsheet (the "CSV injection" attack).
public struct CSVWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private let columns: Int

    public init(header: [String]) {
        columns = header.count
        appendRow(header.map { Optional($0) })
    }

    /// One row; nil is an empty field. Rows shorter than the header are padded, longer ones cut, so
    /// every record has the same number of fields (RFC 4180 §2.4).
    public mutating func appendRow(_ fields: [String?]) {
        for i in 0..<columns {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            if i < fields.count, let field = fields[i] { append(field) }
        }
        bytes += [0x0D, 0x0A]
    }

    private mutating func append(_ raw: String) {
        let field = Self.defused(raw)
        let utf8 = field.utf8
        let quote = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
        guard quote else {
            bytes += utf8
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for b in utf8 {
            if b == UInt8(ascii: "\"") { bytes.append(b) }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    static func defused(_ field: String) -> String {
        guard let first = field.utf8.first,
            first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
        else { return field }
        if Double(field) != nil, !field.contains(where: { $0.isLetter }) { return field }  // -12.50 stays a number
        return "'" + field
    }
}
