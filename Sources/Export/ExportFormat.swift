/// The formats a trip exports to: each one's file extension, media type, and whether it is small enough
/// to be rendered on request (`GET /v1/trips/{id}/export.{ext}`) instead of through an export job.
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    case json, ics, gpx, kml, csv, pdf, zip

    public var fileExtension: String { rawValue }

    /// The registered media type (RFC 5545 for ICS, RFC 4180 for CSV, the GPX and KML registrations).
    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .ics: "text/calendar; charset=utf-8"
        case .gpx: "application/gpx+xml"
        case .kml: "application/vnd.google-earth.kml+xml"
        case .csv: "text/csv; charset=utf-8; header=present"
        case .pdf: "application/pdf"
        case .zip: "application/zip"
        }
    }

    /// Text formats a request may render directly; PDF and ZIP always go through a job and storage.
    public var servedDirectly: Bool {
        switch self {
        case .json, .ics, .gpx, .kml, .csv: true
        case .pdf, .zip: false
        }
    }
}
