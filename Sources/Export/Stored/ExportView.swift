import Foundation

/// `POST /v1/trips/{id}/exports` `{format}`.
public struct ExportRequest: Decodable, Sendable {
    public var format: String?
}

/// A stored export as the API shows it. `download_url` is present once it is ready, freshly signed on
/// each read and valid for `EXPORT_DOWNLOAD_TTL`.
public struct ExportView: Encodable, Sendable {
    public enum Status: String, Encodable, Sendable {
        case pending, running, ready, failed
    }

    public var id: String
    public var tripId: String?
    public var format: ExportFormat
    public var status: Status
    public var filename: String
    public var size: Int64?
    public var sha256: String?
    public var error: String?
    public var downloadUrl: String?
    public var downloadExpiresAt: Date?
    public var createdAt: Date
    public var finishedAt: Date?
    public var expiresAt: Date
}

/// An `exports` row.
struct ExportRow: Decodable {
    var id: String
    var userId: String
    var tripId: String?
    var format: String
    var status: String
    var filename: String
    var objectKey: String?
    var size: Int64?
    var sha256: String?
    var error: String?
    var createdAt: Date
    var finishedAt: Date?
    var expiresAt: Date

    static let columns = """
        id::text AS id, user_id::text AS user_id, trip_id::text AS trip_id, format, status, filename, object_key,
        size, sha256, error, created_at, finished_at, expires_at
        """
}
