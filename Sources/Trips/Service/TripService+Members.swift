import Auth
import Foundation
import HTTP
import Kernel
import Postgres

extension TripService {
    /// Members first (owner, editors, viewers, each oldest first), then pending invitations.
    public func members(_ tripID: UUID, _ principal: Principal) throws -> [MemberView] {
        let (rows, invites) = try pool.transaction { c in
            _ = try readAccess(tripID, principal, on: c)
            let rows = try c.query(
                """
                SELECT user_id, role, created_at FROM trip_members WHERE trip_id = $1
                ORDER BY array_position(ARRAY['owner', 'editor', 'viewer'], role), created_at, user_id
                """, [tripID]
            ).map {
                (try $0.decode(0, as: UUID.self), try $0.decode(1, as: String.self), try $0.decode(2, as: Date.self))
            }
            let invites = try c.query(
                "SELECT email, role, created_at FROM trip_invites WHERE trip_id = $1 ORDER BY created_at, email",
                [tripID]
            ).map {
                (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: Date.self))
            }
            return (rows, invites)
        }
        let profiles = try accounts.profiles(rows.map(\.0))
        return rows.map { id, role, since in
            MemberView(
                userId: id.uuidString.lowercased(), email: profiles[id]?.email ?? "",
                displayName: profiles[id]?.displayName, role: TripRole(rawValue: role) ?? .viewer, status: "active",
                since: since)
        }
            + invites.map { email, role, since in
                MemberView(
                    userId: nil, email: email, displayName: nil, role: TripRole(rawValue: role) ?? .viewer,
                    status: "pending", since: since)
            }
    }

    /// Invites by e-mail: an existing account joins at once; an unknown address gets a pending
    /// invitation that becomes a membership when it registers.
    public func invite(_ tripID: UUID, _ input: InviteInput, _ principal: Principal) throws -> MemberView {
        var e = FieldErrors()
        let email = input.email.flatMap(AuthService.normalizeEmail)
        if email == nil { e.add("email", input.email == nil ? "is required" : "must be a valid e-mail address") }
        let role = Self.memberRole(input.role, &e)
        try e.check()
        guard let email, let role else { throw Self.notFound }
        let account = try accounts.account(email: email)
        return try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .owner, action: "invite members", on: c)
            if let account {
                let added = try c.query(
                    """
                    INSERT INTO trip_members (trip_id, user_id, role) VALUES ($1, $2, $3)
                    ON CONFLICT DO NOTHING RETURNING created_at
                    """, [tripID, account.id, role.rawValue])
                guard let since = try added.first?.decode(0, as: Date.self) else {
                    throw HTTPError(
                        .conflict, detail: "This person is already a member of the trip.",
                        errors: [.init(field: "email", message: "is already a member")])
                }
                return MemberView(
                    userId: account.id.uuidString.lowercased(), email: account.email, displayName: account.displayName,
                    role: role, status: "active", since: since)
            }
            let since =
                try c.query(
                    """
                    INSERT INTO trip_invites (trip_id, email, role, invited_by) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (trip_id, email) DO UPDATE SET role = excluded.role RETURNING created_at
                    """, [tripID, email, role.rawValue, principal.userID]
                ).first?.decode(0, as: Date.self) ?? Date()
            return MemberView(userId: nil, email: email, displayName: nil, role: role, status: "pending", since: since)
        }
    }

    static func memberRole(_ text: String?, _ e: inout FieldErrors) -> TripRole? {
        guard let text else {
            e.add("role", "is required")
            return nil
        }
        guard let role = TripRole(rawValue: text), role != .owner else {
            e.add("role", "must be editor or viewer (ownership moves with transfer-ownership)")
            return nil
        }
        return role
    }

    public func changeRole(_ tripID: UUID, user: UUID, _ input: RoleInput, _ principal: Principal) throws {
        var e = FieldErrors()
        let role = Self.memberRole(input.role, &e)
        try e.check()
        guard let role else { return }
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .owner, action: "change roles", on: c)
            let changed = try c.execute(
                "UPDATE trip_members SET role = $3 WHERE trip_id = $1 AND user_id = $2 AND role <> 'owner'",
                [tripID, user, role.rawValue])
            if changed == 0 {
                throw user == principal.userID
                    ? HTTPError(.conflict, detail: "The owner's role changes only by transferring ownership.")
                    : HTTPError(.notFound, detail: "No such member.")
            }
        }
    }

    /// The owner removes a member; any other member may remove themselves (leave). The owner
    /// cannot leave before handing the trip over.
    public func removeMember(_ tripID: UUID, user: UUID, _ principal: Principal) throws {
        try pool.transaction { c in
            let leaving = user == principal.userID
            let trip = try lockTrip(
                tripID, principal, needs: leaving ? .viewer : .owner, action: "remove members", on: c)
            if leaving && trip.role == .owner {
                throw HTTPError(.conflict, detail: "Transfer ownership before leaving your own trip.")
            }
            let removed = try c.execute(
                "DELETE FROM trip_members WHERE trip_id = $1 AND user_id = $2 AND role <> 'owner'", [tripID, user])
            if removed == 0 { throw HTTPError(.notFound, detail: "No such member.") }
        }
    }

    public func cancelInvite(_ tripID: UUID, email: String, _ principal: Principal) throws {
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .owner, action: "cancel invitations", on: c)
            let removed = try c.execute(
                "DELETE FROM trip_invites WHERE trip_id = $1 AND email = $2",
                [tripID, AuthService.normalizeEmail(email) ?? email])
            if removed == 0 { throw HTTPError(.notFound, detail: "No such invitation.") }
        }
    }

    /// Hands the trip to another member; the previous owner stays on as an editor.
    public func transferOwnership(_ tripID: UUID, _ input: TransferInput, _ principal: Principal) throws {
        var e = FieldErrors()
        let target = input.userId.flatMap { UUID(uuidString: $0) }
        if target == nil { e.add("user_id", input.userId == nil ? "is required" : "must be a user id") }
        try e.check()
        guard let target else { return }
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .owner, action: "transfer ownership", on: c)
            if target == principal.userID {
                e.add("user_id", "must be another member")
                try e.check()
            }
            // The old owner first: the one-owner index must never see two.
            try c.execute(
                "UPDATE trip_members SET role = 'editor' WHERE trip_id = $1 AND user_id = $2",
                [tripID, principal.userID])
            let moved = try c.execute(
                "UPDATE trip_members SET role = 'owner' WHERE trip_id = $1 AND user_id = $2", [tripID, target])
            if moved == 0 {
                throw HTTPError(
                    .unprocessableContent, detail: "The new owner must already be a member of the trip.",
                    errors: [.init(field: "user_id", message: "is not a member")])
            }
        }
    }

    /// Registration hook: invitations to this address become memberships.
    func attachInvites(_ account: RegisteredAccount, on c: PostgresConnection) throws {
        try c.execute(
            """
            WITH taken AS (DELETE FROM trip_invites WHERE email = $2 RETURNING trip_id, role)
            INSERT INTO trip_members (trip_id, user_id, role) SELECT trip_id, $1, role FROM taken
            ON CONFLICT DO NOTHING
            """, [account.userID, account.email])
        try c.execute(
            """
            UPDATE trips SET version = version + 1, updated_at = now()
            WHERE id IN (SELECT trip_id FROM trip_members WHERE user_id = $1)
            """, [account.userID])
    }

    /// Account-deletion hook: each trip the user owns goes to its longest-standing editor (else
    /// viewer); a trip with no one else is deleted outright. Their other memberships end.
    func handOverTrips(of userID: UUID, on c: PostgresConnection) throws {
        let owned = try c.query(
            "SELECT trip_id FROM trip_members WHERE user_id = $1 AND role = 'owner'", [userID]
        ).map { try $0.decode(0, as: UUID.self) }
        for trip in owned {
            try c.execute("SELECT 1 FROM trips WHERE id = $1 FOR UPDATE", [trip])
            try c.execute("DELETE FROM trip_members WHERE trip_id = $1 AND user_id = $2", [trip, userID])
            let heir = try c.execute(
                """
                UPDATE trip_members SET role = 'owner' WHERE (trip_id, user_id) = (
                    SELECT trip_id, user_id FROM trip_members WHERE trip_id = $1
                    ORDER BY array_position(ARRAY['editor', 'viewer'], role), created_at, user_id LIMIT 1)
                """, [trip])
            if heir == 0 {
                try c.execute("DELETE FROM trips WHERE id = $1", [trip])
            } else {
                try c.execute("UPDATE trips SET version = version + 1, updated_at = now() WHERE id = $1", [trip])
            }
        }
        try c.execute(
            """
            WITH gone AS (DELETE FROM trip_members WHERE user_id = $1 RETURNING trip_id)
            UPDATE trips SET version = version + 1, updated_at = now() WHERE id IN (SELECT trip_id FROM gone)
            """, [userID])
        try c.execute("DELETE FROM trip_invites WHERE invited_by = $1", [userID])
    }
}
