import Compression
import Foundation
import HTTP
import Kernel
import Postgres
import Trips

/// The GDPR access archive (`POST /v1/me/export`): every module's section about the account
/// (`account.json`, `sessions.json`… from `AccountDataSources`), then each trip the user belongs to as
/// a trip document (`trips/<slug>-<id>.json`, trash included), and a README saying what is where.
struct AccountArchive {
    let userID: UUID
    let principal: Principal
    let pool: PostgresPool
    let sources: AccountDataSources
    let trips: TripService
    let exportedAt: Date

    func write(to out: ExportOutput) throws {
        let zip = ZipWriter { try out.write(raw: $0) }
        // One snapshot for all sections, so they agree with each other.
        let sections = try pool.transaction(TransactionOptions(isolation: .repeatableRead)) { c in
            try sources.collect(userID, on: c)
        }
        let tripIDs = try trips.memberTripIDs(principal, includingTrash: true)
        try zip.addEntry(
            name: "README.txt", data: Array(readme(sections.map(\.name), trips: tripIDs.count).utf8),
            modified: exportedAt)
        for section in sections {
            try zip.addEntry(name: section.name + ".json", data: section.json, modified: exportedAt)
        }
        for id in tripIDs {
            let contents: TripContents
            do {
                contents = try trips.tripContents(id, principal, includingTrash: true)
            } catch let error as HTTPError where error.status == .notFound {
                continue  // left or purged since the list was read
            }
            let name =
                "trips/" + ExportNames.slug(contents.itinerary.trip.title) + "-" + id.uuidString.lowercased() + ".json"
            try zip.addEntry(
                name: name, data: try TripDocument.render(contents, exportedAt: exportedAt), modified: exportedAt)
        }
        try zip.finish()
    }

    func readme(_ sections: [String], trips: Int) -> String {
        """
        TravelSense data export
        =======================

        Everything TravelSense stores about your account, as of \(RFC3339.format(exportedAt)).

        \(sections.map { "- \($0).json" }.joined(separator: "\n"))
        - trips/: the \(trips) trip\(trips == 1 ? "" : "s") you belong to (trips in your trash included),
          one JSON document each. Each can be imported again with POST /v1/trips/import.

        All files are UTF-8 JSON; times are RFC 3339 in UTC. Secrets (your password, two-factor secret,
        tokens and API keys) are stored only as one-way hashes and are therefore not included.

        """
    }
}
