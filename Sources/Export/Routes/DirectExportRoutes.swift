import Foundation
import HTTP
import Kernel
import Trips

/// `GET /v1/trips/{id}/export.{ics,gpx,kml,csv,json}`: the small formats rendered on request for any
/// member (a trip the caller cannot see is 404), with an ETag on the trip's version. `export.csv` is the
/// items; `export.csv?table=expenses` the expenses.
struct DirectExportRoutes {
    let trips: TripService

    static let formats: [ExportFormat] = [.ics, .gpx, .kml, .csv, .json]

    func register(_ routes: inout Routes) {
        for format in Self.formats {
            routes.get(
                "/v1/trips/{id}/export.\(format.fileExtension)",
                doc: RouteDoc(
                    summary: "The trip as \(format.rawValue.uppercased())",
                    description: Self.descriptions[format] ?? "", tags: ["exports"],
                    responses: [
                        ResponseDoc(200, "The file", contentType: format.contentType, schema: ["type": "string"]),
                        ResponseDoc(304, "Unchanged", contentType: nil),
                        .problem(404, "No such trip (or not a member)"),
                    ])
            ) { request in
                let principal = try request.authenticated(scope: .tripsRead)
                guard let id = request.parameters["id"].flatMap(UUID.init(uuidString:)) else {
                    throw HTTPError(.notFound, detail: "No such trip.")
                }
                let expenses = format == .csv && request.queryValue("table") == "expenses"
                if format == .csv, let table = request.queryValue("table"), !["items", "expenses"].contains(table) {
                    throw HTTPError.invalid(
                        [.init(field: "table", message: "must be items or expenses")], title: "Invalid query parameters"
                    )
                }
                // The whole trip (expenses, checklists) only for the formats that carry it.
                let contents = format == .json || expenses ? try trips.tripContents(id, principal) : nil
                let itinerary = try contents?.itinerary ?? trips.itineraryView(id, principal)
                // The JSON document carries its export time: the same version is equivalent, not identical.
                let opaque = "\"x\(format.rawValue)\(expenses ? "e" : "")\(itinerary.trip.version)\""
                let etag = format == .json ? "W/" + opaque : opaque
                var headers = HTTPFields()
                headers.append(.etag, etag)
                headers.append(.cacheControl, "private, no-cache")
                // `ifNoneMatch` compares weakly (its tags come without `W/`).
                if let tags = request.ifNoneMatch, tags.contains(opaque) || tags.contains("*") {
                    return Response(status: .notModified, headers: headers)
                }
                headers.set(.contentType, format.contentType)
                let body: [UInt8]
                switch (contents, format) {
                case (let contents?, .json): body = try TripDocument.render(contents, exportedAt: Date())
                case (let contents?, _): body = TripCSV.expenses(contents)
                default: body = TripRenderer.itineraryText(format, itinerary)
                }
                let title = expenses ? itinerary.trip.title + " expenses" : itinerary.trip.title
                headers.append("Content-Disposition", Self.disposition(title, format))
                return Response(status: .ok, headers: headers, body: .bytes(body))
            }
        }
    }

    static let descriptions: [ExportFormat: String] = [
        .ics:
            "RFC 5545: timed items as events in the trip's zone (with VTIMEZONE), lodging as all-day spans; UIDs are item ids.",
        .gpx: "GPX 1.1: a waypoint per located item and a route per day in itinerary order.",
        .kml: "KML 2.2: a placemark per located item and a line per day.",
        .csv:
            "RFC 4180, UTF-8 with a header row: one row per item in itinerary order (?table=expenses: one per expense).",
        .json: "The whole trip as a versioned document that POST /v1/trips/import takes back.",
    ]

    /// RFC 8187 attr-char: what `filename*` may carry unencoded (ASCII only; Foundation's
    /// `.alphanumerics` would let `é` through).
    static let attrChar = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")

    /// `attachment` with an ASCII file name from the title and the exact one in `filename*` (RFC 6266).
    static func disposition(_ title: String, _ format: ExportFormat) -> String {
        let slug = ExportNames.slug(title)
        let exact = (title.isEmpty ? "trip" : title) + "." + format.fileExtension
        let encoded = exact.addingPercentEncoding(withAllowedCharacters: attrChar) ?? slug
        return "attachment; filename=\"\(slug).\(format.fileExtension)\"; filename*=UTF-8''\(encoded)"
    }
}
