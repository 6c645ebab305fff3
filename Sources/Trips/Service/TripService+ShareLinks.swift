import Crypto
import Foundation
import HTTP
import Kernel
import Postgres

extension TripService {
    /// Share tokens: `sh_` + 256 random bits, base64url.
    static func newShareToken() throws -> String { "sh_" + Base64URL.encode(try SecureRandom.bytes(32)) }

    static func shareDigest(_ token: String) throws -> Data { Data(try SHA256.hash(Array(token.utf8))) }

    public func createShareLink(_ tripID: UUID, _ input: ShareLinkInput, _ principal: Principal) throws -> ShareLinkView
    {
        var e = FieldErrors()
        var sections: [ShareSection] = []
        if let names = input.sections, !names.isEmpty {
            for (i, name) in names.enumerated() {
                if let s = ShareSection(rawValue: name) {
                    if !sections.contains(s) { sections.append(s) }
                } else {
                    e.add(
                        "sections[\(i)]",
                        "must be one of " + ShareSection.allCases.map(\.rawValue).joined(separator: ", "))
                }
            }
        } else {
            e.add("sections", "must list at least one section")
        }
        var expires: Date?
        if let text = input.expiresAt {
            if let d = RFC3339.parse(text) {
                if d <= Date() { e.add("expires_at", "must be in the future") }
                expires = d
            } else {
                e.add("expires_at", "must be an RFC 3339 timestamp")
            }
        }
        try e.check()
        let token = try Self.newShareToken()
        let id = UUIDv7.make()
        let created = try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .owner, action: "share the trip", on: c)
            return try c.query(
                """
                INSERT INTO trip_share_links (id, trip_id, token_hash, sections, expires_at, created_by)
                VALUES ($1, $2, $3, $4::text[], $5, $6) RETURNING created_at
                """, [id, tripID, try Self.shareDigest(token), sections.map(\.rawValue), expires, principal.userID]
            ).first?.decode(0, as: Date.self) ?? Date()
        }
        return ShareLinkView(
            id: id.uuidString.lowercased(), sections: sections, expiresAt: expires, revokedAt: nil, createdAt: created,
            token: token, url: publicBaseURL + "/v1/shared/" + token, pageUrl: publicBaseURL + "/s/" + token)
    }

    public func shareLinks(_ tripID: UUID, _ principal: Principal) throws -> [ShareLinkView] {
        try pool.transaction { c in
            let (role, _) = try readAccess(tripID, principal, on: c)
            guard role == .owner else { throw Self.forbidden(role, "manage share links") }
            return try c.query(
                """
                SELECT id::text, sections, expires_at, revoked_at, created_at FROM trip_share_links
                WHERE trip_id = $1 ORDER BY id DESC
                """, [tripID]
            ).map { row in
                ShareLinkView(
                    id: try row.decode(0), sections: try row.decode(1, as: [String].self).compactMap(ShareSection.init),
                    expiresAt: try row.decode(2), revokedAt: try row.decode(3), createdAt: try row.decode(4))
            }
        }
    }

    public func revokeShareLink(_ tripID: UUID, _ linkID: UUID, _ principal: Principal) throws {
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .owner, action: "manage share links", on: c)
            let n = try c.execute(
                "UPDATE trip_share_links SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND trip_id = $2",
                [linkID, tripID])
            if n == 0 { throw HTTPError(.notFound, detail: "No such share link.") }
        }
    }

    /// The trip a live share token opens, its version, and the sections it grants; nil for an
    /// unknown, revoked or expired token, or a deleted trip (all the same 404 to the caller).
    func resolveShare(_ token: String) throws -> (trip: UUID, version: Int64, sections: [ShareSection])? {
        guard token.hasPrefix("sh_"), token.utf8.count == 46 else { return nil }
        guard
            let row = try pool.query(
                """
                SELECT t.id, t.version, l.sections FROM trip_share_links l JOIN trips t ON t.id = l.trip_id
                WHERE l.token_hash = $1 AND l.revoked_at IS NULL AND (l.expires_at IS NULL OR l.expires_at > now())
                  AND t.deleted_at IS NULL
                """, [try Self.shareDigest(token)]
            ).first
        else { return nil }
        return (
            try row.decode(0), try row.decode(1), try row.decode(2, as: [String].self).compactMap(ShareSection.init)
        )
    }

    /// `GET /v1/shared/{token}` without authentication; ETag from the trip version and sections.
    public func shared(_ token: String, ifNoneMatch: [String]?) throws -> (etag: String, body: [UInt8]?) {
        let (tripID, etag, sections) = try resolveSharedETag(token)
        if let ifNoneMatch, ifNoneMatch.contains(etag) { return (etag, nil) }
        return (etag, try JSONBody.encode(try sharedView(tripID, sections)))
    }

    /// What a share link shows, typed (the share page renders it); nil body when `ifNoneMatch` matches.
    public func sharedTrip(_ token: String, ifNoneMatch: [String]?) throws -> (etag: String, view: SharedTripView?) {
        let (tripID, etag, sections) = try resolveSharedETag(token)
        if let ifNoneMatch, ifNoneMatch.contains(etag) { return (etag, nil) }
        return (etag, try sharedView(tripID, sections))
    }

    private func resolveSharedETag(_ token: String) throws -> (UUID, String, [ShareSection]) {
        guard let (tripID, version, sections) = try resolveShare(token) else {
            throw HTTPError(.notFound, detail: "This share link does not exist, was revoked or has expired.")
        }
        return (tripID, "\"sh\(version)-\(sections.map(\.rawValue).joined(separator: "."))\"", sections)
    }

    private func sharedView(_ tripID: UUID, _ sections: [ShareSection]) throws -> SharedTripView {
        let (trip, rows) = try snapshot(tripID)
        let t = trip.view
        var view = SharedTripView(
            trip: SharedTrip(
                title: t.title, description: t.description, destination: t.destination, startDate: t.startDate,
                endDate: t.endDate, timezone: t.timezone, currency: t.currency), sections: sections)
        // Booking codes never leave through a share link.
        let items = rows.map { $0.view(confirmationCode: nil) }
        if sections.contains(.itinerary) {
            let (days, unscheduled) = Self.schedule(items, t)
            view.itinerary = SharedItinerary(days: days, unscheduled: unscheduled)
        }
        if sections.contains(.map) {
            view.map = items.compactMap { item in
                guard let c = item.place?.coordinate else { return nil }
                return MapPoint(
                    itemId: item.id, title: item.title, kind: item.kind, day: item.day, lat: c.latitude,
                    lon: c.longitude)
            }
        }
        if sections.contains(.expenses) {
            view.expenses = SharedExpenses(expenses: try allExpenses(tripID), balances: try computeBalances(tripID))
        }
        if sections.contains(.checklists) {
            view.checklists = try allChecklists(tripID)
        }
        return view
    }
}
