import Foundation
import HTTP
import Kernel
import Trips

/// Stored exports: request one (202, rendered by a job), read its status and download link, and the
/// account-wide data export. Every format goes this way; PDF and ZIP only this way.
struct ExportRoutes {
    let exports: ExportService
    let idempotent: [any Middleware]

    static let export: JSONValue = [
        "type": "object", "required": ["id", "format", "status", "filename", "created_at", "expires_at"],
        "properties": [
            "id": ["type": "string", "format": "uuid"], "trip_id": ["type": "string", "format": "uuid"],
            "format": ["type": "string", "enum": .array(ExportFormat.allCases.map { .string($0.rawValue) })],
            "status": ["type": "string", "enum": ["pending", "running", "ready", "failed"]],
            "filename": ["type": "string"], "size": ["type": "integer"],
            "sha256": ["type": "string", "description": "Hex SHA-256 of the file"],
            "error": ["type": "string"],
            "download_url": ["type": "string", "description": "When ready; expires at download_expires_at"],
            "download_expires_at": ["type": "string", "format": "date-time"],
            "created_at": ["type": "string", "format": "date-time"],
            "finished_at": ["type": "string", "format": "date-time"],
            "expires_at": ["type": "string", "format": "date-time", "description": "When the export is deleted"],
        ],
    ]

    static func accepted(_ view: ExportView) throws -> Response {
        var response = try Response.json(view, status: .accepted)
        response.headers.append(.location, "/v1/exports/\(view.id)")
        return response
    }

    func register(_ routes: inout Routes) {
        let exports = self.exports
        routes.post(
            "/v1/trips/{id}/exports", bodyLimit: 4096, middleware: idempotent,
            doc: RouteDoc(
                summary: "Export a trip to storage (any format; PDF and ZIP only this way)", tags: ["exports"],
                requestBody: RequestBodyDoc(
                    schema: [
                        "type": "object", "required": ["format"],
                        "properties": [
                            "format": [
                                "type": "string", "enum": .array(ExportFormat.allCases.map { .string($0.rawValue) }),
                            ]
                        ],
                    ]),
                responses: [
                    ResponseDoc(202, "Queued; poll the Location", schema: Self.export),
                    .problem(400, "Unknown format"), .problem(404, "No such trip (or not a member)"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .export)
            guard let trip = request.parameters["id"].flatMap(UUID.init(uuidString:)) else {
                throw HTTPError(.notFound, detail: "No such trip.")
            }
            return try Self.accepted(try exports.requestTripExport(trip, try request.decodeJSON(ExportRequest.self), p))
        }
        routes.get(
            "/v1/exports/{id}",
            doc: RouteDoc(
                summary: "An export's status, size, SHA-256 and download link", tags: ["exports"],
                responses: [
                    ResponseDoc(200, "The export", schema: Self.export),
                    .problem(404, "No such export (or its trip is no longer visible)"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .export)
            guard let id = request.parameters["id"].flatMap(UUID.init(uuidString:)) else {
                throw ExportService.notFound
            }
            var response = try Response.json(try exports.export(id, p))
            response.headers.append(.cacheControl, "no-store")
            return response
        }
        routes.post(
            "/v1/me/export", bodyLimit: 0, middleware: idempotent,
            doc: RouteDoc(
                summary: "Export everything stored about me (GDPR access) as a ZIP", tags: ["exports"],
                responses: [ResponseDoc(202, "Queued; poll the Location", schema: Self.export)])
        ) { request in
            let p = try request.authenticated(scope: .export)
            return try Self.accepted(try exports.requestAccountExport(p))
        }
    }
}
