import Foundation
import HTTP
import Jobs
import Kernel
import Postgres
import Trips

extension ExportService {
    /// The `export_render` job: renders the export as its requester (a trip they can no longer see
    /// fails it without retry), streams it into the store, then records size and SHA-256. A row that
    /// is already ready or failed is left alone, so a duplicated delivery renders nothing twice.
    func render(
        _ args: RenderArgs, job: Job, fonts: @Sendable () throws -> (regular: TrueTypeFont, bold: TrueTypeFont)
    )
        throws
    {
        guard
            let row = try pool.query(
                """
                UPDATE exports SET status = 'running' WHERE id = $1 AND status IN ('pending', 'running')
                RETURNING \(ExportRow.columns)
                """, [args.exportId]
            ).decode(ExportRow.self).first, let user = UUID(uuidString: row.userId)
        else { return }
        let principal = Principal(userID: user, role: .user, credential: .export(id: args.exportId), scopes: nil)
        let format = ExportFormat(rawValue: row.format) ?? .zip
        let key = Self.objectKey(row.id)
        let now = Date()
        do {
            let out = try ExportOutput(writer: try store.makeWriter(key: key, contentType: format.contentType))
            let result: (size: Int, sha256: String)
            do {
                if let trip = row.tripId.flatMap(UUID.init(uuidString:)) {
                    let contents = try trips.tripContents(trip, principal)
                    let renderer = TripRenderer(contents: contents, fonts: try fonts(), exportedAt: now)
                    try renderer.render(format, to: out)
                } else {
                    try AccountArchive(
                        userID: user, principal: principal, pool: pool, sources: accountData, trips: trips,
                        exportedAt: now
                    ).write(to: out)
                }
                result = try out.finish()
            } catch {
                out.abort()
                throw error
            }
            let stored = try pool.query(
                """
                UPDATE exports SET status = 'ready', object_key = $2, size = $3, sha256 = $4, error = NULL,
                    finished_at = now()
                WHERE id = $1 RETURNING id
                """, [args.exportId, key, result.size, result.sha256])
            // Cleaned up (or its account deleted) while rendering: the object must not outlive its row.
            if stored.count == 0 { try store.delete(key: key) }
            logger.info(
                "export stored",
                metadata: ["export": "\(row.id)", "format": "\(format.rawValue)", "bytes": "\(result.size)"])
        } catch let error as HTTPError where error.status == .notFound {
            try fail(args.exportId, "The trip is no longer available to you.")
            throw JobCancel("trip not visible to the requester")
        } catch {
            if job.attempt >= job.maxAttempts {
                try fail(args.exportId, "The export could not be produced. Please request it again.")
            }
            throw error
        }
    }

    private func fail(_ id: UUID, _ message: String) throws {
        try pool.execute(
            "UPDATE exports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1", [id, message])
    }

    /// The daily `export_cleanup` job: each expired export's object, then its row (an object that cannot
    /// be deleted keeps its row, so the next run tries again). Returns how many were removed.
    @discardableResult
    public func cleanup(batch: Int = 500) throws -> Int {
        var removed = 0
        while true {
            let rows = try pool.query(
                "SELECT id, object_key FROM exports WHERE expires_at <= now() ORDER BY expires_at LIMIT $1", [batch]
            ).map { (try $0.decode(0, as: UUID.self), try $0.decode(1, as: String?.self)) }
            var done: [UUID] = []
            for (id, key) in rows {
                do {
                    if let key { try store.delete(key: key) }
                    done.append(id)
                } catch {
                    logger.warning(
                        "expired export's object not deleted", metadata: ["export": "\(id)", "error": "\(error)"])
                }
            }
            if !done.isEmpty { try pool.execute("DELETE FROM exports WHERE id = ANY($1::uuid[])", [done]) }
            removed += done.count
            if rows.count < batch || done.isEmpty { return removed }
        }
    }

    /// In the account's deletion transaction: its exports expire now, and a cleanup run is queued with
    /// the deletion, so the files go too (the rows are not tied to `users` for exactly this reason).
    func expireAccount(_ userID: UUID, on c: PostgresConnection) throws {
        let count = try c.query("UPDATE exports SET expires_at = now() WHERE user_id = $1 RETURNING id", [userID]).count
        if count > 0 { try jobs.enqueue(on: c, Self.cleanupKind) }
    }
}
