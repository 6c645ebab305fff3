import Foundation
import HTTP
import Kernel
import Trips

/// Imports: our own trip document becomes a new trip (`POST /v1/trips/import`); GPX, KML and ICS files
/// add items to an existing trip (`POST /v1/trips/{id}/import`).
struct ImportRoutes {
    let trips: TripService
    let idempotent: [any Middleware]

    /// A 2,000-item trip document with long notes is about 2 MiB; room for more, bounded.
    static let maxDocumentBytes = 8 * 1024 * 1024

    func register(_ routes: inout Routes) {
        let trips = self.trips
        routes.post(
            "/v1/trips/import", bodyLimit: Self.maxDocumentBytes, middleware: idempotent,
            doc: RouteDoc(
                summary: "Create a trip from a trip document (the json export)", tags: ["exports"],
                requestBody: RequestBodyDoc(
                    schema: [
                        "type": "object", "required": ["format", "version", "trip"],
                        "description": "As GET /v1/trips/{id}/export.json produces it",
                    ]),
                responses: [
                    ResponseDoc(201, "The new trip", schema: ["type": "object"]),
                    .problem(400, "Not a trip document, or a field at fault (named, e.g. items[3].day)"),
                    .problem(413, "Larger than 8 MiB"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            // The media type and JSON syntax first (415/400), then the document itself.
            _ = try request.decodeJSON(TripDocument.Header.self)
            let trip = try trips.importTrip(try TripDocument.parse(request.body), p)
            var response = try Response.json(trip, status: .created)
            response.headers.append(.etag, trip.etag)
            response.headers.append(.location, "/v1/trips/\(trip.id)")
            return response
        }

        routes.post(
            "/v1/trips/{id}/import", bodyLimit: ImportLimits.maximumInputBytes, middleware: idempotent,
            doc: RouteDoc(
                summary: "Add items from a GPX, KML or iCalendar file",
                description:
                    "The file type comes from Content-Type (application/gpx+xml, application/vnd.google-earth.kml+xml, "
                    + "text/calendar) or ?format=gpx|kml|ics. Waypoints and placemarks become unscheduled items; "
                    + "events become items in the trip's time zone. All or nothing.",
                tags: ["exports"],
                responses: [
                    ResponseDoc(201, "The new items", schema: ["type": "object"]),
                    .problem(400, "The file is malformed, or an item is invalid (named by its line)"),
                    .problem(404, "No such trip (or not a member)"), .problem(413, "Larger than 5 MiB"),
                    .problem(415, "Not a GPX, KML or iCalendar file"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            guard let id = request.parameters["id"].flatMap(UUID.init(uuidString:)) else {
                throw HTTPError(.notFound, detail: "No such trip.")
            }
            let kind = try Self.fileKind(request)
            let trip = try trips.trip(id, p)
            let mapped: ImportedItems.Mapped
            do {
                switch kind {
                case .gpx: mapped = ImportedItems.places(try GPXImport.places(from: request.body))
                case .kml: mapped = ImportedItems.places(try KMLImport.places(from: request.body))
                case .ics:
                    mapped = try ImportedItems.events(try ICSImport.events(from: request.body), tripZone: trip.timezone)
                default: throw HTTPError(.unsupportedMediaType)
                }
            } catch let error as ImportError {
                throw HTTPError(
                    .badRequest, title: "The file could not be read", detail: error.description,
                    errors: [.init(field: error.line.map { "line \($0)" } ?? "body", message: error.message)])
            }
            let items: [ItemView]
            do {
                items = try trips.importItems(id, mapped.items, p)
            } catch let error as HTTPError {
                throw ImportedItems.located(error, lines: mapped.lines)
            }
            return try .json(ImportedList(data: items, count: items.count), status: .created)
        }
    }

    struct ImportedList: Encodable {
        var data: [ItemView]
        var count: Int
    }

    /// `?format=` first (curl users often send `application/octet-stream`), then the media type.
    static func fileKind(_ request: Request) throws -> ExportFormat {
        if let format = request.queryValue("format") {
            guard let kind = ExportFormat(rawValue: format), [.gpx, .kml, .ics].contains(kind) else {
                throw HTTPError.invalid(
                    [.init(field: "format", message: "must be gpx, kml or ics")], title: "Invalid query parameters")
            }
            return kind
        }
        let media = (request.headers[.contentType] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        switch media {
        case "application/gpx+xml": return .gpx
        case "application/vnd.google-earth.kml+xml": return .kml
        case "text/calendar": return .ics
        default:
            throw HTTPError(
                .unsupportedMediaType,
                detail: "Send a GPX (application/gpx+xml), KML (application/vnd.google-earth.kml+xml) or "
                    + "iCalendar (text/calendar) file, or name it with ?format=gpx|kml|ics.")
        }
    }
}
