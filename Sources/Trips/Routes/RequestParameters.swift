import Foundation
import HTTP
import Kernel

extension Request {
    /// A UUID path parameter; anything else cannot name a row, so it is the same 404.
    func uuid(_ name: String, _ what: String) throws -> UUID {
        guard let text = parameters[name], let id = UUID(uuidString: text) else {
            throw HTTPError(.notFound, detail: "No such \(what).")
        }
        return id
    }

    var tripID: UUID { get throws { try uuid("id", "trip") } }

    /// The version an `If-Match` header names for a resource whose ETags are `"<prefix><version>"`.
    /// nil without the header or with `*`; an ETag of another shape can never match: 412.
    func ifMatchVersion(_ prefix: String, _ what: String) throws -> Int64? {
        guard let header = headers[.ifMatch] else { return nil }
        let tags = Self.entityTags(header)
        if tags.contains("*") { return nil }
        for tag in tags where tag.hasPrefix("\"\(prefix)") && tag.hasSuffix("\"") && tag.count > prefix.count + 2 {
            if let v = Int64(tag.dropFirst(prefix.count + 1).dropLast()), v > 0 { return v }
        }
        throw TripService.preconditionFailed(what)
    }

}

extension Response {
    /// JSON with a strong ETag.
    static func json<T: Encodable>(_ value: T, etag: String, status: HTTPStatus = .ok) throws -> Response {
        var headers = HTTPFields()
        headers.append(.etag, etag)
        return try .json(value, status: status, headers: headers)
    }

    /// Pre-encoded JSON (a cached document) with its ETag; 304 without a body when `body` is nil.
    static func cachedJSON(etag: String, body: [UInt8]?) -> Response {
        var headers = HTTPFields()
        headers.append(.etag, etag)
        // Clients may keep it but must revalidate: a collaborator's write changes it at any time.
        headers.append(.cacheControl, "private, no-cache")
        guard let body else { return Response(status: .notModified, headers: headers) }
        headers.set(.contentType, "application/json")
        return Response(status: .ok, headers: headers, body: .bytes(body))
    }
}
