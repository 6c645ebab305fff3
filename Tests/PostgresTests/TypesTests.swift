import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct TypesTests {
    let db: TestDatabase

    init() throws {
        db = try TestDatabase.create()
    }

    @Test func scalarsRoundTripThroughParameters() throws {
        let id = UUID()
        let when = Date(timeIntervalSince1970: 1_795_000_000.123456)
        let row = try #require(
            try db.pool.query(
                "SELECT $1::text, $2::int8, $3::int4, $4::float8, $5::bool, $6::uuid, $7::timestamptz, $8::bytea, $9::text",
                [
                    "héllo 'quoted' \\ \"x\"", Int64.max, Int32.min, 0.1, true, id, when, Data([0, 1, 0xFF, 0x5C]),
                    String?.none,
                ]
            ).first)
        #expect(try row.decode(0, as: String.self) == "héllo 'quoted' \\ \"x\"")
        #expect(try row.decode(1, as: Int64.self) == Int64.max)
        #expect(try row.decode(2, as: Int32.self) == Int32.min)
        #expect(try row.decode(3, as: Double.self) == 0.1)
        #expect(try row.decode(4, as: Bool.self) == true)
        #expect(try row.decode(5, as: UUID.self) == id)
        let decoded = try row.decode(6, as: Date.self)
        #expect(abs(decoded.timeIntervalSince1970 - when.timeIntervalSince1970) < 0.000_001)
        #expect(try row.decode(7, as: Data.self) == Data([0, 1, 0xFF, 0x5C]))
        #expect(try row.decode(8, as: String?.self) == nil)
        #expect(throws: PostgresError.self) { try row.decode(8, as: String.self) }
    }

    @Test func timestampsAcrossEraEdges() throws {
        for seconds in [-62_135_596_800.0, -1.5, 0, 951_782_400, 4_102_444_799.999999] {
            let date = Date(timeIntervalSince1970: seconds)
            let back = try #require(try db.pool.query("SELECT $1::timestamptz", [date]).first).decode(0, as: Date.self)
            #expect(abs(back.timeIntervalSince1970 - seconds) < 0.000_002, "\(seconds)")
            // The server agrees on the instant, not only our own parser.
            let epoch = try #require(
                try db.pool.query("SELECT extract(epoch FROM $1::timestamptz)::float8", [date]).first)
            #expect(abs(try epoch.decode(0, as: Double.self) - seconds) < 0.000_002)
        }
    }

    @Test func arraysInBothDirections() throws {
        let words = ["a", "b,c", "{d}", "\"e\"", "f\\g", "NULL", ""]
        let row = try #require(try db.pool.query("SELECT $1::text[], cardinality($1::text[])", [words]).first)
        #expect(try row.decode(0, as: [String].self) == words)
        #expect(try row.decode(1, as: Int.self) == words.count)
        let ids = [UUID(), UUID()]
        let matched = try db.pool.query("SELECT x FROM unnest($1::uuid[]) x WHERE x = ANY($2)", [ids, [ids[1]]])
        #expect(try matched.map { try $0.decode(0, as: UUID.self) } == [ids[1]])
        let withNull = try #require(try db.pool.query("SELECT ARRAY['x', NULL]::text[]").first)
        #expect(try withNull.decode(0, as: [String?].self) == ["x", nil])
    }

    @Test func integersRejectOverflowAndJunk() throws {
        let row = try #require(try db.pool.query("SELECT 40000::int4, 'abc'::text").first)
        #expect(throws: PostgresError.self) { try row.decode(0, as: Int16.self) }
        #expect(throws: PostgresError.self) { try row.decode(1, as: Int.self) }
    }

    @Test func nulInTextIsRejectedBeforeSending() throws {
        #expect(throws: PostgresError.self) { try db.pool.query("SELECT $1::text", ["a\u{0}b"]) }
    }

    struct Place: Codable, Equatable, Sendable {
        var name: String
        var lat: Double
    }

    struct Item: Decodable, Equatable {
        var id: UUID
        var title: String
        var dayNumber: Int?
        var tags: [String]
        var place: Place?
        var createdAt: Date
    }

    @Test func rowsDecodeIntoDecodableTypes() throws {
        try db.pool.execute(
            """
            CREATE TABLE items (id uuid PRIMARY KEY, title text NOT NULL, day_number int, tags text[] NOT NULL,
                place jsonb, created_at timestamptz NOT NULL DEFAULT now())
            """)
        let id = UUID()
        try db.pool.execute(
            "INSERT INTO items (id, title, day_number, tags, place) VALUES ($1, $2, $3, $4, $5)",
            [id, "Louvre", Int?.none, ["museum", "paris"], try PostgresJSON(Place(name: "Louvre", lat: 48.86))])
        let items = try db.pool.query("SELECT * FROM items").decode(Item.self)
        #expect(items.count == 1)
        #expect(items.first?.id == id)
        #expect(items.first?.dayNumber == nil)
        #expect(items.first?.tags == ["museum", "paris"])
        #expect(items.first?.place == Place(name: "Louvre", lat: 48.86))
        struct Missing: Decodable { var nope: String }
        #expect(throws: (any Error).self) { try db.pool.query("SELECT 1 AS yes").decode(Missing.self) }
    }

    @Test func serverErrorsCarrySQLState() throws {
        try db.pool.execute("CREATE TABLE uniq (email text PRIMARY KEY)")
        try db.pool.execute("INSERT INTO uniq VALUES ($1)", ["a@example.com"])
        do {
            try db.pool.execute("INSERT INTO uniq VALUES ($1)", ["a@example.com"])
            Issue.record("expected a unique violation")
        } catch let error as PostgresError {
            #expect(error.sqlState == SQLState.uniqueViolation)
            guard case .server(let detail) = error else { throw error }
            #expect(detail.constraint == "uniq_pkey")
            #expect(detail.table == "uniq")
            #expect(!error.isUnavailable)
        }
        #expect(throws: PostgresError.self) { try db.pool.query("SELEC 1") }
        // The connection that saw the errors is still fine.
        #expect(try db.pool.query("SELECT 1").count == 1)
    }

    @Test func preparedStatementsSurviveSchemaChanges() throws {
        try db.pool.withConnection { conn in
            try conn.execute("CREATE TABLE evolving (a int)")
            try conn.execute("INSERT INTO evolving VALUES (1)")
            #expect(try conn.query("SELECT * FROM evolving").columns == ["a"])
            try conn.execute("ALTER TABLE evolving ADD COLUMN b int")
            #expect(try conn.query("SELECT * FROM evolving").columns == ["a", "b"])
        }
    }
}
