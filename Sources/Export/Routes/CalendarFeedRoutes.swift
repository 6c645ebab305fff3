import Crypto
import Foundation
import HTTP
import Kernel
import Trips

/// Calendar feeds: managed by their owner (`/v1/calendar-feeds`), read by calendar apps without any
/// credential but the token in the URL (`/v1/calendar/{token}.ics`).
struct CalendarFeedRoutes {
    let feeds: CalendarFeedService

    static let feed: JSONValue = [
        "type": "object", "required": ["id", "created_at"],
        "properties": [
            "id": ["type": "string", "format": "uuid"], "trip_id": ["type": "string", "format": "uuid"],
            "created_at": ["type": "string", "format": "date-time"],
            "rotated_at": ["type": "string", "format": "date-time"],
            "token": ["type": "string", "description": "Only when issued (creation, rotation)"],
            "url": ["type": "string", "description": "webcal:// URL to subscribe to"],
            "https_url": ["type": "string"],
        ],
    ]

    func register(_ routes: inout Routes) {
        let feeds = self.feeds
        routes.post(
            "/v1/calendar-feeds", bodyLimit: 4096,
            doc: RouteDoc(
                summary: "Create a calendar feed (one trip, or all my trips)", tags: ["calendar feeds"],
                requestBody: RequestBodyDoc(
                    schema: ["type": "object", "properties": ["trip_id": ["type": "string", "format": "uuid"]]],
                    required: false),
                responses: [
                    ResponseDoc(201, "The feed with its secret URL (shown once)", schema: Self.feed),
                    .problem(404, "No such trip (or not a member)"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            let input = request.body.isEmpty ? CalendarFeedInput() : try request.decodeJSON(CalendarFeedInput.self)
            return try .json(try feeds.create(input, p), status: .created)
        }
        routes.get(
            "/v1/calendar-feeds",
            doc: RouteDoc(
                summary: "My calendar feeds (without their tokens)", tags: ["calendar feeds"],
                responses: [ResponseDoc(200, "The feeds", schema: ["type": "object"])])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(["data": try feeds.list(p)])
        }
        routes.post(
            "/v1/calendar-feeds/{id}/rotate", bodyLimit: 0,
            doc: RouteDoc(
                summary: "Issue a new URL; the old one stops at once", tags: ["calendar feeds"],
                responses: [
                    ResponseDoc(200, "The feed with its new URL", schema: Self.feed), .problem(404, "No such feed"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(try feeds.rotate(try Self.id(request), p))
        }
        routes.delete(
            "/v1/calendar-feeds/{id}",
            doc: RouteDoc(
                summary: "Revoke a feed", tags: ["calendar feeds"],
                responses: [ResponseDoc(204, "Revoked", contentType: nil), .problem(404, "No such feed")])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            try feeds.revoke(try Self.id(request), p)
            return .noContent
        }
        routes.get(
            "/v1/calendar/{file}",
            doc: RouteDoc(
                summary: "A calendar feed (the token is the credential)",
                description: "`{file}` is `<token>.ics`. Only trips the feed's owner can see right now.",
                tags: ["calendar feeds"],
                responses: [
                    ResponseDoc(
                        200, "RFC 5545 calendar", contentType: ExportFormat.ics.contentType, schema: ["type": "string"]),
                    ResponseDoc(304, "Unchanged", contentType: nil),
                    .problem(404, "Unknown, rotated or revoked feed"),
                ])
        ) { request in
            let file = request.parameters["file"] ?? ""
            guard file.hasSuffix(".ics"), let calendar = try feeds.calendar(token: String(file.dropLast(4))) else {
                throw HTTPError(.notFound, detail: "No such calendar feed.")
            }
            // A hash of the bytes: any change in any trip of the feed (or in which trips it holds) shows.
            let etag = "\"" + Base64URL.encode(Array(try SHA256.hash(calendar.ics).prefix(18))) + "\""
            var headers = HTTPFields()
            headers.append(.etag, etag)
            headers.append("Last-Modified", HTTPDate.imfFixdate(time_t(calendar.lastModified.timeIntervalSince1970)))
            headers.append(.cacheControl, "private, no-cache")
            headers.append("Referrer-Policy", "no-referrer")
            if let tags = request.ifNoneMatch, tags.contains(etag) {
                return Response(status: .notModified, headers: headers)
            }
            headers.set(.contentType, ExportFormat.ics.contentType)
            return Response(status: .ok, headers: headers, body: .bytes(calendar.ics))
        }
    }

    static func id(_ request: Request) throws -> UUID {
        guard let id = request.parameters["id"].flatMap(UUID.init(uuidString:)) else {
            throw CalendarFeedService.notFound
        }
        return id
    }
}
