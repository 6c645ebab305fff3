import CLibPQ

/// The rows of one statement. Owns its `PGresult` and frees it (`PQclear`) when the last reference
/// goes, so no path — early return, thrown error — can leak one. A `PGresult` is immutable once
/// returned (libpq documents it as safe to read from any thread), hence `@unchecked Sendable`.
public final class PostgresResult: @unchecked Sendable, RandomAccessCollection {
    let handle: OpaquePointer
    /// Column names and their lookup table, shared by every result of the same prepared statement.
    let layout: ColumnLayout

    /// Column names as the server sent them.
    public var columns: [String] { layout.names }

    init(_ handle: OpaquePointer, layout cached: ColumnLayout? = nil) {
        self.handle = handle
        if let cached, cached.count == Int(PQnfields(handle)) {
            layout = cached
        } else {
            layout = ColumnLayout(handle)
        }
    }

    deinit { PQclear(handle) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(PQntuples(handle)) }
    public subscript(position: Int) -> PostgresRow { PostgresRow(result: self, index: Int32(position)) }

    /// Rows changed by an INSERT/UPDATE/DELETE (0 when the command reports none).
    public var affectedRows: Int {
        guard let text = PQcmdTuples(handle) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    /// Every row decoded into `T` (columns matched to coding keys by name; see `PostgresRow.decode`).
    public func decode<T: Decodable>(_ type: T.Type) throws -> [T] {
        try map { try $0.decode(type) }
    }

}

/// A result's column names and a lookup from name (and its camelCase form) to index. Built once per
/// prepared statement, not per result: the names of a statement's columns never change (a schema
/// change re-prepares it).
final class ColumnLayout: Sendable {
    let names: [String]
    let index: [String: Int]
    var count: Int { names.count }

    init(_ handle: OpaquePointer) {
        let n = Int(PQnfields(handle))
        var names = [String]()
        names.reserveCapacity(n)
        var index = [String: Int](minimumCapacity: n * 2)
        for i in 0..<n {
            let name = PQfname(handle, Int32(i)).map { String(cString: $0) } ?? "?column?"
            names.append(name)
            if index[name] == nil { index[name] = i }
            let camel = Self.camelCase(name)
            if index[camel] == nil { index[camel] = i }
        }
        self.names = names
        self.index = index
    }

    /// `snake_case` → `snakeCase`, so Swift properties match columns without coding keys.
    static func camelCase(_ name: String) -> String {
        // Byte test: `String.contains` goes through Foundation here and showed up in profiles.
        guard name.utf8.contains(UInt8(ascii: "_")) else { return name }
        var out = ""
        var upper = false
        for ch in name {
            if ch == "_" {
                upper = !out.isEmpty
                continue
            }
            out += upper ? ch.uppercased() : String(ch)
            upper = false
        }
        return out
    }
}

/// One row of a `PostgresResult`. Values are the server's text form, decoded on access.
public struct PostgresRow: Sendable {
    let result: PostgresResult
    let index: Int32

    public var columns: [String] { result.columns }

    /// The column's index by its name or its camelCase form.
    public func columnIndex(_ name: String) throws(PostgresError) -> Int {
        guard let i = result.layout.index[name] else {
            throw .decoding(column: name, message: "no such column in the result")
        }
        return i
    }

    public func isNull(_ column: Int) -> Bool {
        PQgetisnull(result.handle, index, Int32(column)) == 1
    }

    /// The raw text bytes of a column, nil for SQL NULL. Valid while the row's result lives.
    func withText<T>(_ column: Int, _ body: (UnsafeRawBufferPointer?) throws -> T) rethrows -> T {
        guard column >= 0, column < result.columns.count, !isNull(column),
            let base = PQgetvalue(result.handle, index, Int32(column))
        else { return try body(nil) }
        let length = Int(PQgetlength(result.handle, index, Int32(column)))
        return try body(UnsafeRawBufferPointer(start: base, count: length))
    }

    /// The PostgreSQL type OID of a column (e.g. 17 bytea, 3802 jsonb).
    func typeOID(_ column: Int) -> UInt32 { UInt32(PQftype(result.handle, Int32(column))) }

    /// The column decoded as `T`; a NULL decodes only into an Optional.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
        guard column >= 0, column < result.columns.count else {
            throw PostgresError.decoding(column: "#\(column)", message: "no such column in the result")
        }
        let oid = typeOID(column)
        let name = result.columns[column]
        return try withText(column) { text in
            do {
                return try T.decode(postgresText: text, type: oid)
            } catch let error as PostgresDecodingFailure {
                throw PostgresError.decoding(column: name, message: error.message)
            }
        }
    }

    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try decode(try columnIndex(column), as: type)
    }

    /// The whole row decoded into a `Decodable` type: each coding key names a column (snake_case or
    /// camelCase); nested `Decodable` values come from `json`/`jsonb` columns.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: PostgresRowDecoder(row: self))
    }
}
