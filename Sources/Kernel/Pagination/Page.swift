import Crypto
import Foundation
import HTTP

/// `?limit=&cursor=` of a list endpoint (DESIGN §6): limit 1…100 (default 20); the cursor is opaque to
/// clients — base64url of the sort key of the last row served — and checked like any other input.
public struct PageRequest: Sendable {
    public static let defaultLimit = 20
    public static let maximumLimit = 100

    public var limit: Int
    /// The decoded cursor fields, or nil for the first page.
    public var after: [String]?

    public init(limit: Int = PageRequest.defaultLimit, after: [String]? = nil) {
        self.limit = limit
        self.after = after
    }

    /// Reads `limit` and `cursor` from the query; 400 naming each bad one. `fields` is how many values
    /// the endpoint's cursors hold.
    public init(_ request: Request, fields: Int) throws {
        var errors: [HTTPError.FieldError] = []
        limit = Self.defaultLimit
        if let text = request.queryValue("limit") {
            if let n = Int(text), (1...Self.maximumLimit).contains(n) {
                limit = n
            } else {
                errors.append(.init(field: "limit", message: "must be an integer from 1 to \(Self.maximumLimit)"))
            }
        }
        if let text = request.queryValue("cursor"), !text.isEmpty {
            after = Self.decodeCursor(text, fields: fields)
            if after == nil { errors.append(.init(field: "cursor", message: "is not a cursor this list issued")) }
        }
        if !errors.isEmpty {
            throw HTTPError.invalid(errors, title: "Invalid query parameters")
        }
    }

    public static func encodeCursor(_ values: [String]) -> String {
        Base64URL.encode([UInt8](values.joined(separator: "\u{1F}").utf8))
    }

    static func decodeCursor(_ text: String, fields: Int) -> [String]? {
        guard text.utf8.count <= 512, let bytes = try? Base64URL.decode(text),
            let joined = String(validating: bytes, as: UTF8.self)
        else { return nil }
        let parts = joined.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        return parts.count == fields ? parts : nil
    }
}

/// `{ "data": [...], "next_cursor": … }`.
public struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    public var data: [Item]
    public var nextCursor: String?

    public init(data: [Item], nextCursor: String?) {
        self.data = data
        self.nextCursor = nextCursor
    }

    /// From up to `limit + 1` rows fetched: the extra row only says that another page exists.
    public init(rows: [Item], limit: Int, cursor: (Item) -> [String]) {
        if rows.count > limit {
            data = Array(rows.prefix(limit))
            nextCursor = data.last.map { PageRequest.encodeCursor(cursor($0)) }
        } else {
            data = rows
            nextCursor = nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(data, forKey: .data)
        // Present as null on the last page, so clients can test one field.
        try c.encode(nextCursor, forKey: .nextCursor)
    }
}
