import Foundation
import HTTP
import Jobs
import Kernel
import Logging
import Postgres
import Trips

/// Stored exports: a request inserts an `exports` row and its render job in one transaction (both or
/// neither); the job renders into the object store and records size and SHA-256; reads hand out a
/// freshly signed download URL; a daily job deletes expired exports and their objects.
///
/// An export belongs to whoever asked for it. Reading it also requires that they can still see the
/// trip, so leaving a trip (or its deletion) hides its exports at once: 404, as for the trip itself.
public struct ExportService: Sendable {
    let pool: PostgresPool
    let jobs: JobClient
    let trips: TripService
    let store: any ObjectStore
    let settings: ExportSettings
    let accountData: AccountDataSources
    let logger = Logger(label: "travelsense.export")

    static let renderKind = "export_render"
    static let cleanupKind = "export_cleanup"
    static let notFound = HTTPError(.notFound, detail: "No such export.")
    /// Attempts of a render: storage outages are retried, a trip the requester lost is not.
    static let maxAttempts = 3

    struct RenderArgs: Codable, Sendable {
        var exportId: UUID
    }

    // MARK: - Requests

    public func requestTripExport(_ tripID: UUID, _ input: ExportRequest, _ principal: Principal) throws -> ExportView {
        guard let text = input.format, let format = ExportFormat(rawValue: text) else {
            throw HTTPError.invalid([
                .init(
                    field: "format",
                    message: "must be one of " + ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))
            ])
        }
        let trip = try trips.trip(tripID, principal)
        let filename = ExportNames.filename(trip.title, format.fileExtension)
        return try insert(tripID: tripID, format: format, filename: filename, principal)
    }

    /// `POST /v1/me/export`: everything stored about the caller, as a ZIP.
    public func requestAccountExport(_ principal: Principal) throws -> ExportView {
        let day = RFC3339.format(Date()).prefix(10)
        return try insert(tripID: nil, format: .zip, filename: "travelsense-data-\(day).zip", principal)
    }

    private func insert(
        tripID: UUID?, format: ExportFormat, filename: String, _ principal: Principal
    ) throws
        -> ExportView
    {
        let id = UUIDv7.make()
        let row = try pool.transaction { c in
            let job = try jobs.enqueue(
                on: c, Self.renderKind, args: RenderArgs(exportId: id),
                options: EnqueueOptions(maxAttempts: Self.maxAttempts))
            return try c.query(
                """
                INSERT INTO exports (id, user_id, trip_id, format, filename, job_id, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7::int))
                RETURNING \(ExportRow.columns)
                """, [id, principal.userID, tripID, format.rawValue, filename, job.id, settings.retentionDays]
            ).decode(ExportRow.self).first
        }
        guard let row else { throw Self.notFound }
        return try view(row)
    }

    // MARK: - Reads

    public func export(_ id: UUID, _ principal: Principal) throws -> ExportView {
        guard
            let row = try pool.query(
                "SELECT \(ExportRow.columns) FROM exports WHERE id = $1 AND user_id = $2 AND expires_at > now()",
                [id, principal.userID]
            ).decode(ExportRow.self).first
        else { throw Self.notFound }
        if let trip = row.tripId.flatMap(UUID.init(uuidString:)) {
            do {
                _ = try trips.trip(trip, principal)
            } catch let error as HTTPError where error.status == .notFound {
                throw Self.notFound
            }
        }
        return try view(row)
    }

    func view(_ row: ExportRow) throws -> ExportView {
        let format = ExportFormat(rawValue: row.format) ?? .zip
        var url: String?
        var urlExpiry: Date?
        if row.status == "ready", let key = row.objectKey {
            url = try store.downloadURL(
                key: key, expiresIn: settings.downloadTTL, filename: row.filename, contentType: format.contentType)
            urlExpiry = Date().addingTimeInterval(Double(settings.downloadTTL.components.seconds))
        }
        return ExportView(
            id: row.id, tripId: row.tripId, format: format, status: ExportView.Status(rawValue: row.status) ?? .failed,
            filename: row.filename, size: row.size, sha256: row.sha256, error: row.error, downloadUrl: url,
            downloadExpiresAt: urlExpiry, createdAt: row.createdAt, finishedAt: row.finishedAt,
            expiresAt: row.expiresAt)
    }

    static func objectKey(_ id: String) -> String { "exports/" + id }
}
