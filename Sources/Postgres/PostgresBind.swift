import Foundation

/// One statement parameter as it goes over the wire. Parameters are sent as text with type "unknown"
/// (the server infers the type from the statement, as for a literal), except bytea, which is sent in
/// binary so no escaping is involved.
public enum PostgresBind: Sendable, Equatable {
    case null
    case text(String)
    case bytea([UInt8])
}

/// A Swift value that can be a statement parameter (`$1…$n`).
public protocol PostgresEncodable: Sendable {
    var postgresBind: PostgresBind { get }
}

extension PostgresBind: PostgresEncodable {
    public var postgresBind: PostgresBind { self }
}

extension String: PostgresEncodable {
    public var postgresBind: PostgresBind { .text(self) }
}

extension Substring: PostgresEncodable {
    public var postgresBind: PostgresBind { .text(String(self)) }
}

extension Int: PostgresEncodable {
    public var postgresBind: PostgresBind { .text(String(self)) }
}

extension Int64: PostgresEncodable {
    public var postgresBind: PostgresBind { .text(String(self)) }
}

extension Int32: PostgresEncodable {
    public var postgresBind: PostgresBind { .text(String(self)) }
}

extension Int16: PostgresEncodable {
    public var postgresBind: PostgresBind { .text(String(self)) }
}

extension Double: PostgresEncodable {
    /// Swift's shortest round-tripping form; PostgreSQL spells the specials the same way.
    public var postgresBind: PostgresBind {
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self < 0 ? "-Infinity" : "Infinity") }
        return .text(String(self))
    }
}

extension Bool: PostgresEncodable {
    public var postgresBind: PostgresBind { .text(self ? "t" : "f") }
}

extension UUID: PostgresEncodable {
    public var postgresBind: PostgresBind { .text(uuidString) }
}

extension Date: PostgresEncodable {
    /// `timestamptz` text in UTC with microseconds, the column's own precision.
    public var postgresBind: PostgresBind { .text(PostgresTimestamp.format(self)) }
}

extension Data: PostgresEncodable {
    public var postgresBind: PostgresBind { .bytea([UInt8](self)) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresBind: PostgresBind {
        switch self {
        case .none: return .null
        case .some(let value): return value.postgresBind
        }
    }
}

/// An explicit SQL NULL for parameter lists of mixed types (`[id, PostgresNull()]`).
public struct PostgresNull: PostgresEncodable {
    public init() {}
    public var postgresBind: PostgresBind { .null }
}

/// A `json`/`jsonb` parameter: any `Encodable` value, encoded with snake_case keys and ISO 8601 dates
/// like the API's own JSON. Encoding happens here, so a value that cannot be encoded throws at once.
public struct PostgresJSON: PostgresEncodable {
    public let text: String

    public init(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// JSON text that is already encoded.
    public init(raw text: String) {
        self.text = text
    }

    public var postgresBind: PostgresBind { .text(text) }
}

/// An array parameter (`= ANY($1)`, `unnest($1::uuid[])`), sent as an array literal in text form.
/// Elements are always double-quoted, so commas, braces, quotes and backslashes in them are safe.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public var postgresBind: PostgresBind {
        var literal = "{"
        for (i, element) in enumerated() {
            if i > 0 { literal += "," }
            switch element.postgresBind {
            case .null: literal += "NULL"
            case .text(let text): Self.appendQuoted(text, to: &literal)
            case .bytea(let bytes): Self.appendQuoted("\\x" + PostgresHex.encode(bytes), to: &literal)
            }
        }
        literal += "}"
        return .text(literal)
    }

    private static func appendQuoted(_ text: String, to literal: inout String) {
        literal += "\""
        for ch in text.unicodeScalars {
            if ch == "\"" || ch == "\\" { literal += "\\" }
            literal.unicodeScalars.append(ch)
        }
        literal += "\""
    }
}
