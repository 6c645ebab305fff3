import Foundation
import HTTP
import Kernel
import Postgres

extension TripService {
    static let maximumChecklistEntries = 500
    static let noChecklist = HTTPError(.notFound, detail: "No such checklist.")
    static let noEntry = HTTPError(.notFound, detail: "No such checklist item.")

    public func checklists(_ tripID: UUID, _ principal: Principal) throws -> [ChecklistView] {
        _ = try readAccess(tripID, principal)
        return try allChecklists(tripID)
    }

    func allChecklists(_ tripID: UUID) throws -> [ChecklistView] {
        let lists = try pool.query(
            "SELECT id::text, title, created_at, updated_at FROM trip_checklists WHERE trip_id = $1 ORDER BY position",
            [tripID]
        ).map {
            (
                try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: Date.self),
                try $0.decode(3, as: Date.self)
            )
        }
        var entries: [String: [ChecklistEntryView]] = [:]
        for row in try pool.query(
            """
            SELECT checklist_id::text, id::text, text, checked_by::text, checked_at FROM trip_checklist_items
            WHERE trip_id = $1 ORDER BY checklist_id, position
            """, [tripID])
        {
            let checkedAt: Date? = try row.decode(4)
            entries[try row.decode(0), default: []].append(
                ChecklistEntryView(
                    id: try row.decode(1), text: try row.decode(2), checked: checkedAt != nil,
                    checkedBy: try row.decode(3),
                    checkedAt: checkedAt))
        }
        return lists.map {
            ChecklistView(id: $0.0, title: $0.1, items: entries[$0.0] ?? [], createdAt: $0.2, updatedAt: $0.3)
        }
    }

    func checklist(_ tripID: UUID, _ listID: UUID) throws -> ChecklistView {
        guard let list = try allChecklists(tripID).first(where: { $0.id == listID.uuidString.lowercased() }) else {
            throw Self.noChecklist
        }
        return list
    }

    public func createChecklist(_ tripID: UUID, _ input: ChecklistInput, _ principal: Principal) throws -> ChecklistView
    {
        var e = FieldErrors()
        let title = e.text(input.title, "title", max: Limits.title)
        let texts = (input.items ?? []).enumerated().map {
            e.text($0.element, "items[\($0.offset)]", max: Limits.title) ?? ""
        }
        if texts.count > Self.maximumChecklistEntries {
            e.add("items", "must have at most \(Self.maximumChecklistEntries) entries")
        }
        try e.check()
        guard let title else { throw Self.noChecklist }
        let id = UUIDv7.make()
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .editor, action: "edit checklists", on: c)
            let last = try c.query(
                "SELECT position FROM trip_checklists WHERE trip_id = $1 ORDER BY position DESC LIMIT 1", [tripID]
            ).first.map { try $0.decode(0, as: String.self) }
            try c.execute(
                "INSERT INTO trip_checklists (id, trip_id, title, position) VALUES ($1, $2, $3, $4)",
                [id, tripID, title, last.map { FractionalIndex.between($0, nil) } ?? FractionalIndex.first])
            var position: String?
            for text in texts {
                let p = position.map { FractionalIndex.between($0, nil) } ?? FractionalIndex.first
                position = p
                try c.execute(
                    "INSERT INTO trip_checklist_items (id, checklist_id, trip_id, text, position) VALUES ($1, $2, $3, $4, $5)",
                    [UUIDv7.make(), id, tripID, text, p])
            }
        }
        return try checklist(tripID, id)
    }

    public func renameChecklist(
        _ tripID: UUID, _ listID: UUID, _ input: ChecklistInput, _ principal: Principal
    ) throws -> ChecklistView {
        var e = FieldErrors()
        let title = e.text(input.title, "title", max: Limits.title)
        if input.items != nil { e.add("items", "are changed one by one under …/items") }
        try e.check()
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .editor, action: "edit checklists", on: c)
            let n = try c.execute(
                "UPDATE trip_checklists SET title = $3, updated_at = now(), version = version + 1 WHERE id = $1 AND trip_id = $2",
                [listID, tripID, title])
            if n == 0 { throw Self.noChecklist }
        }
        return try checklist(tripID, listID)
    }

    public func deleteChecklist(_ tripID: UUID, _ listID: UUID, _ principal: Principal) throws {
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .editor, action: "edit checklists", on: c)
            let n = try c.execute("DELETE FROM trip_checklists WHERE id = $1 AND trip_id = $2", [listID, tripID])
            if n == 0 { throw Self.noChecklist }
        }
    }

    public func addChecklistEntry(
        _ tripID: UUID, _ listID: UUID, _ input: ChecklistEntryInput, _ principal: Principal
    ) throws -> ChecklistView {
        var e = FieldErrors()
        let text = e.text(input.text, "text", max: Limits.title)
        let after = input.afterId.flatMap { UUID(uuidString: $0) }
        if input.afterId != nil && after == nil { e.add("after_id", "must be a checklist item id") }
        try e.check()
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .editor, action: "edit checklists", on: c)
            guard
                try c.query("SELECT 1 FROM trip_checklists WHERE id = $1 AND trip_id = $2", [listID, tripID]).count == 1
            else {
                throw Self.noChecklist
            }
            let count =
                try c.query("SELECT count(*)::int8 FROM trip_checklist_items WHERE checklist_id = $1", [listID])
                .first?.decode(0, as: Int64.self) ?? 0
            guard count < Self.maximumChecklistEntries else {
                throw HTTPError(.conflict, detail: "A checklist holds at most \(Self.maximumChecklistEntries) items.")
            }
            let position = try entryPosition(listID, after: after ?? Self.lastEntry, moving: nil, on: c)
            try c.execute(
                "INSERT INTO trip_checklist_items (id, checklist_id, trip_id, text, position) VALUES ($1, $2, $3, $4, $5)",
                [UUIDv7.make(), listID, tripID, text, position])
            try touchChecklist(listID, on: c)
        }
        return try checklist(tripID, listID)
    }

    /// Edits an entry's text and/or checks or unchecks it (who and when are recorded).
    public func updateChecklistEntry(
        _ tripID: UUID, _ listID: UUID, _ entryID: UUID, _ input: ChecklistEntryInput, _ principal: Principal
    ) throws -> ChecklistView {
        var e = FieldErrors()
        let text = input.text.map { e.text($0, "text", max: Limits.title) } ?? nil
        if input.afterId != nil { e.add("after_id", "is for creation; use the move endpoint") }
        if input.text == nil && input.checked == nil { e.add("checked", "send text and/or checked") }
        try e.check()
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .editor, action: "edit checklists", on: c)
            let n = try c.execute(
                """
                UPDATE trip_checklist_items SET text = coalesce($4, text),
                    checked_at = CASE WHEN $5::bool IS NULL THEN checked_at WHEN $5 THEN coalesce(checked_at, now()) END,
                    checked_by = CASE WHEN $5::bool IS NULL THEN checked_by WHEN $5 THEN coalesce(checked_by, $6) END,
                    updated_at = now()
                WHERE id = $1 AND checklist_id = $2 AND trip_id = $3
                """, [entryID, listID, tripID, text, input.checked, principal.userID])
            if n == 0 { throw Self.noEntry }
            try touchChecklist(listID, on: c)
        }
        return try checklist(tripID, listID)
    }

    public func deleteChecklistEntry(_ tripID: UUID, _ listID: UUID, _ entryID: UUID, _ principal: Principal) throws {
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .editor, action: "edit checklists", on: c)
            let n = try c.execute(
                "DELETE FROM trip_checklist_items WHERE id = $1 AND checklist_id = $2 AND trip_id = $3",
                [entryID, listID, tripID])
            if n == 0 { throw Self.noEntry }
            try touchChecklist(listID, on: c)
        }
    }

    public func moveChecklistEntry(
        _ tripID: UUID, _ listID: UUID, _ entryID: UUID, _ input: ChecklistMoveInput, _ principal: Principal
    ) throws -> ChecklistView {
        var e = FieldErrors()
        let after = input.afterId.flatMap { UUID(uuidString: $0) }
        if input.afterId != nil && (after == nil || after == entryID) {
            e.add("after_id", "must be another item of the checklist")
        }
        try e.check()
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .editor, action: "edit checklists", on: c)
            guard
                try c.query(
                    "SELECT 1 FROM trip_checklist_items WHERE id = $1 AND checklist_id = $2 AND trip_id = $3",
                    [entryID, listID, tripID]
                ).count == 1
            else { throw Self.noEntry }
            let position = try entryPosition(listID, after: after, moving: entryID, on: c)
            try c.execute(
                "UPDATE trip_checklist_items SET position = $2, updated_at = now() WHERE id = $1", [entryID, position])
            try touchChecklist(listID, on: c)
        }
        return try checklist(tripID, listID)
    }

    /// Sentinel for "append at the end" in `entryPosition`.
    static let lastEntry = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    private func entryPosition(_ listID: UUID, after: UUID?, moving: UUID?, on c: PostgresConnection) throws -> String {
        let others = "checklist_id = $1 AND id IS DISTINCT FROM $2"
        if after == Self.lastEntry {
            let last = try c.query(
                "SELECT position FROM trip_checklist_items WHERE \(others) ORDER BY position DESC LIMIT 1",
                [listID, moving]
            ).first.map { try $0.decode(0, as: String.self) }
            return last.map { FractionalIndex.between($0, nil) } ?? FractionalIndex.first
        }
        guard let after else {
            let first = try c.query(
                "SELECT position FROM trip_checklist_items WHERE \(others) ORDER BY position LIMIT 1", [listID, moving]
            ).first.map { try $0.decode(0, as: String.self) }
            return first.map { FractionalIndex.between(nil, $0) } ?? FractionalIndex.first
        }
        guard
            let a = try c.query(
                "SELECT position FROM trip_checklist_items WHERE \(others) AND id = $3", [listID, moving, after]
            ).first.map({ try $0.decode(0, as: String.self) })
        else {
            throw HTTPError(
                .unprocessableContent, detail: "after_id must be another item of this checklist.",
                errors: [.init(field: "after_id", message: "is not an item of this checklist")])
        }
        let next = try c.query(
            "SELECT position FROM trip_checklist_items WHERE \(others) AND position > $3 ORDER BY position LIMIT 1",
            [listID, moving, a]
        ).first.map { try $0.decode(0, as: String.self) }
        return FractionalIndex.between(a, next)
    }

    private func touchChecklist(_ listID: UUID, on c: PostgresConnection) throws {
        try c.execute("UPDATE trip_checklists SET updated_at = now(), version = version + 1 WHERE id = $1", [listID])
    }
}
