import Foundation
import HTTP

/// JSON in and out of handlers (DESIGN §6): snake_case keys on the wire, camelCase in Swift, dates as
/// RFC 3339 UTC. One decoder and one encoder configuration for the whole API.
public enum JSONBody {
    /// Reusable: JSONDecoder/JSONEncoder hold no per-call state once configured.
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not an RFC 3339 timestamp")
            }
            return date
        }
        return d
    }()

    static let encoder = makeEncoder()

    /// The API's encoder (snake_case, RFC 3339 UTC, sorted keys); `prettyPrinted` for files people read.
    public static func makeEncoder(prettyPrinted: Bool = false) -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        // Sorted keys: the same value always encodes to the same bytes (ETags, caches, diffs).
        e.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        if prettyPrinted { e.outputFormatting.insert(.prettyPrinted) }
        return e
    }

    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        [UInt8](try encoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decoder.decode(type, from: Data(bytes))
    }
}

/// RFC 3339 timestamps in UTC with millisecond precision (`2026-11-23T17:04:05.123Z`).
public enum RFC3339 {
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Accepts a `Z` or numeric offset, with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return d }
        if let d = try? Date.ISO8601FormatStyle().parse(text) { return d }
        return nil
    }
}

extension Request {
    /// The body as `T`: 415 unless the content type is JSON, 400 naming the field that is missing or
    /// of the wrong type (see `DecodingError.problem`).
    public func decodeJSON<T: Decodable>(_ type: T.Type) throws -> T {
        try requireJSONContentType()
        guard !body.isEmpty else {
            throw HTTPError(
                .badRequest, title: "Malformed request body", detail: "A JSON request body is required.")
        }
        return try JSONBody.decode(type, from: body)
    }

    /// The body as a JSON value kept in its own order (an empty body is an empty object): 415 unless
    /// the content type is JSON, 400 when malformed.
    public func jsonValue() throws -> JSONValue {
        try requireJSONContentType()
        guard !body.isEmpty else { return [:] }
        do {
            return try JSONValue(parsing: Array(body))
        } catch {
            throw HTTPError(.badRequest, title: "Malformed request body", detail: "The body is not JSON: \(error).")
        }
    }

    /// 415 unless the body is declared JSON (`application/json` or `…+json`); no content type passes.
    public func requireJSONContentType() throws {
        guard let contentType = headers[.contentType] else { return }
        let mediaType = contentType.split(separator: ";", maxSplits: 1)[0].trimmingCharacters(in: .whitespaces)
            .lowercased()
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw HTTPError(.unsupportedMediaType, detail: "Send the body as application/json.")
        }
    }
}

extension Response {
    /// `value` as `application/json`.
    public static func json<T: Encodable>(
        _ value: T, status: HTTPStatus = .ok, headers: HTTPFields = HTTPFields()
    ) throws -> Response {
        var h = headers
        h.set(.contentType, "application/json")
        return Response(status: status, headers: h, body: .bytes(try JSONBody.encode(value)))
    }

    /// 204 No Content.
    public static var noContent: Response { Response(status: .noContent) }
}
