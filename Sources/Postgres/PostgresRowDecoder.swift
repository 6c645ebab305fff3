import Foundation

/// Decodes one row into a `Decodable` type: the type's coding keys name columns. Scalars go through
/// `PostgresDecodable`; any other `Decodable` (a nested struct, `[String]` stored as JSON…) is read
/// from a `json`/`jsonb` column with snake_case keys, matching how `PostgresJSON` writes it.
struct PostgresRowDecoder: Decoder {
    let row: PostgresRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: codingPath, debugDescription: "a row decodes into a keyed type"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(
            Any.self, .init(codingPath: codingPath, debugDescription: "a row decodes into a keyed type"))
    }

    static let jsonDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: PostgresRow
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { row.columns.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { row.result.layout.index[key.stringValue] != nil }

    private func index(_ key: Key) throws -> Int {
        guard let i = row.result.layout.index[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: [key], debugDescription: "no column \(key.stringValue) in the result"))
        }
        return i
    }

    func decodeNil(forKey key: Key) throws -> Bool { row.isNull(try index(key)) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try row.decode(index(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try row.decode(index(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try row.decode(index(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        Float(try row.decode(index(key), as: Double.self))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try row.decode(index(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try row.decode(index(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try row.decode(index(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try row.decode(index(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let i = try index(key)
        // JSON columns decode through JSONDecoder even into types that also have a text form ([String]…).
        let isJSON = row.typeOID(i) == 114 || row.typeOID(i) == 3802
        if let scalar = type as? any PostgresDecodable.Type, !isJSON || type == String.self {
            guard let value = try Self.open(scalar, row: row, column: i) as? T else {
                throw PostgresError.decoding(column: key.stringValue, message: "unexpected type")
            }
            return value
        }
        return try row.withText(i) { text in
            guard let text else {
                throw PostgresError.decoding(column: key.stringValue, message: "is NULL; decode into an Optional")
            }
            do {
                return try PostgresRowDecoder.jsonDecoder.decode(T.self, from: Data(text))
            } catch {
                throw PostgresError.decoding(column: key.stringValue, message: "is not JSON of the expected shape")
            }
        }
    }

    private static func open<S: PostgresDecodable>(_ type: S.Type, row: PostgresRow, column: Int) throws -> S {
        try row.decode(column, as: S.self)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(
            type, .init(codingPath: [key], debugDescription: "nested containers come from JSON columns"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: [key], debugDescription: "nested containers come from JSON columns"))
    }

    func superDecoder() throws -> any Decoder { PostgresRowDecoder(row: row) }
    func superDecoder(forKey key: Key) throws -> any Decoder { PostgresRowDecoder(row: row) }
}
