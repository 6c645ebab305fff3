import Foundation

/// Thrown by `PostgresDecodable` conformances; the row wraps it into `PostgresError.decoding` with
/// the column name.
public struct PostgresDecodingFailure: Error {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// A Swift type that can be read from a column's text form. `text` is nil for SQL NULL.
public protocol PostgresDecodable {
    static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> Self
}

extension PostgresDecodable {
    static func nonNull(_ text: UnsafeRawBufferPointer?) throws -> UnsafeRawBufferPointer {
        guard let text else { throw PostgresDecodingFailure("is NULL; decode into an Optional") }
        return text
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> Self {
        guard let text else { return nil }
        return try Wrapped.decode(postgresText: text, type: oid)
    }
}

extension String: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> String {
        String(decoding: try nonNull(text), as: UTF8.self)
    }
}

/// Integers parse the ASCII digits directly: no intermediate String on the hot path.
extension FixedWidthInteger where Self: PostgresDecodable {
    static func parseInteger(_ text: UnsafeRawBufferPointer?) throws -> Self {
        let text = try nonNull(text)
        var i = 0
        var negative = false
        if text.count > 0, text[0] == 45 {
            negative = true
            i = 1
        }
        guard i < text.count else { throw PostgresDecodingFailure("is not an integer") }
        var value: Self = 0
        while i < text.count {
            let d = text[i]
            guard d >= 48, d <= 57 else { throw PostgresDecodingFailure("is not an integer") }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) =
                negative ? m.subtractingReportingOverflow(Self(d - 48)) : m.addingReportingOverflow(Self(d - 48))
            guard !o1, !o2 else { throw PostgresDecodingFailure("does not fit in \(Self.self)") }
            value = s
            i += 1
        }
        return value
    }
}

extension Int: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> Int {
        try parseInteger(text)
    }
}

extension Int64: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> Int64 {
        try parseInteger(text)
    }
}

extension Int32: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> Int32 {
        try parseInteger(text)
    }
}

extension Int16: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> Int16 {
        try parseInteger(text)
    }
}

extension Double: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> Double {
        let s = String(decoding: try nonNull(text), as: UTF8.self)
        switch s {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let v = Double(s) else { throw PostgresDecodingFailure("is not a number") }
            return v
        }
    }
}

extension Bool: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> Bool {
        let text = try nonNull(text)
        guard text.count == 1 else { throw PostgresDecodingFailure("is not a boolean") }
        switch text[0] {
        case 116: return true  // t
        case 102: return false  // f
        default: throw PostgresDecodingFailure("is not a boolean")
        }
    }
}

extension UUID: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> UUID {
        guard let id = UUID(uuidString: String(decoding: try nonNull(text), as: UTF8.self)) else {
            throw PostgresDecodingFailure("is not a UUID")
        }
        return id
    }
}

extension Date: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> Date {
        guard let date = PostgresTimestamp.parse(try nonNull(text)) else {
            throw PostgresDecodingFailure("is not a timestamp this decoder supports (year 0001–9999, UTC)")
        }
        return date
    }
}

extension Data: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> Data {
        guard let bytes = PostgresHex.decodeBytea(try nonNull(text)) else {
            throw PostgresDecodingFailure("is not bytea in hex format")
        }
        return Data(bytes)
    }
}

/// `text[]`, `uuid[]`, `int8[]`… (one dimension). Elements are decoded from their unquoted text.
extension Array: PostgresDecodable where Element: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer?, type oid: UInt32) throws -> [Element] {
        guard let items = PostgresArrayLiteral.parse(try nonNull(text)) else {
            throw PostgresDecodingFailure("is not a one-dimensional array")
        }
        return try items.map { item in
            guard let item else { return try Element.decode(postgresText: nil, type: 0) }
            return try item.withUnsafeBytes { try Element.decode(postgresText: $0, type: 0) }
        }
    }
}

/// Splits `{a,"b c",NULL}` into element texts (nil for NULL), undoing quoting and escapes.
enum PostgresArrayLiteral {
    static func parse(_ text: UnsafeRawBufferPointer) -> [[UInt8]?]? {
        guard text.count >= 2, text[0] == 123, text[text.count - 1] == 125 else { return nil }
        var items = [[UInt8]?]()
        var i = 1
        let end = text.count - 1
        if i == end { return [] }
        while i <= end {
            var item = [UInt8]()
            var quoted = false
            if text[i] == 34 {
                quoted = true
                i += 1
                while i < end, text[i] != 34 {
                    if text[i] == 92, i + 1 < end { i += 1 }
                    item.append(text[i])
                    i += 1
                }
                guard i < end else { return nil }
                i += 1
            } else {
                while i < end, text[i] != 44 {
                    guard text[i] != 123 else { return nil }  // nested arrays are not supported
                    item.append(text[i])
                    i += 1
                }
            }
            items.append(!quoted && item == Array("NULL".utf8) ? nil : item)
            guard i == end || text[i] == 44 else { return nil }
            i += 1
        }
        return items
    }
}
