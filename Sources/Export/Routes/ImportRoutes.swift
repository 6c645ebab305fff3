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
    }
}
