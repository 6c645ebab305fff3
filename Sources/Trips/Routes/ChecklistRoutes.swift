import Foundation
import HTTP
import Kernel

/// `/v1/trips/{id}/checklists…`: packing lists and to-dos.
struct ChecklistRoutes {
    let service: TripService
    let idempotent: [any Middleware]

    func register(_ routes: inout Routes) {
        let s = service
        let tags = ["checklists"]
        typealias T = TripSchemas
        let entry = T.object(
            ["id": T.uuid, "text": T.string, "checked": T.boolean, "checked_by": T.uuid, "checked_at": T.dateTime],
            required: ["id", "text", "checked"])
        let list = T.object(
            [
                "id": T.uuid, "title": T.string, "items": T.array(entry), "created_at": T.dateTime,
                "updated_at": T.dateTime,
            ],
            required: ["id", "title", "items"])
        let answer = [ResponseDoc(200, "The checklist", schema: list), T.invalid, T.forbidden, T.notFound]
        routes.get(
            "/v1/trips/{id}/checklists",
            doc: RouteDoc(
                summary: "Checklists with their items", tags: tags,
                responses: [ResponseDoc(200, "Checklists", schema: T.object(["data": T.array(list)])), T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(["data": try s.checklists(try request.tripID, p)])
        }
        routes.post(
            "/v1/trips/{id}/checklists", middleware: idempotent,
            doc: RouteDoc(
                summary: "Create a checklist (editor)", tags: tags, parameters: [T.idempotencyKey],
                requestBody: RequestBodyDoc(
                    schema: T.object(["title": T.string, "items": T.array(T.string)], required: ["title"])),
                responses: [ResponseDoc(201, "Created", schema: list), T.invalid, T.forbidden, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            return try .json(
                s.createChecklist(try request.tripID, try request.decodeJSON(ChecklistInput.self), p), status: .created)
        }
        routes.patch(
            "/v1/trips/{id}/checklists/{cid}",
            doc: RouteDoc(
                summary: "Rename a checklist (editor)", tags: tags,
                requestBody: RequestBodyDoc(schema: T.object(["title": T.string], required: ["title"])),
                responses: answer)
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            return try .json(
                s.renameChecklist(
                    try request.tripID, try request.uuid("cid", "checklist"),
                    try request.decodeJSON(ChecklistInput.self), p))
        }
        routes.delete(
            "/v1/trips/{id}/checklists/{cid}",
            doc: RouteDoc(
                summary: "Delete a checklist (editor)", tags: tags,
                responses: [ResponseDoc(204, "Deleted", contentType: nil), T.forbidden, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            try s.deleteChecklist(try request.tripID, try request.uuid("cid", "checklist"), p)
            return .noContent
        }
        routes.post(
            "/v1/trips/{id}/checklists/{cid}/items", middleware: idempotent,
            doc: RouteDoc(
                summary: "Add an item to a checklist (editor)", tags: tags, parameters: [T.idempotencyKey],
                requestBody: RequestBodyDoc(
                    schema: T.object(["text": T.string, "after_id": T.uuid], required: ["text"])),
                responses: [ResponseDoc(201, "The checklist", schema: list), T.invalid, T.forbidden, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            return try .json(
                s.addChecklistEntry(
                    try request.tripID, try request.uuid("cid", "checklist"),
                    try request.decodeJSON(ChecklistEntryInput.self), p),
                status: .created)
        }
        routes.patch(
            "/v1/trips/{id}/checklists/{cid}/items/{eid}",
            doc: RouteDoc(
                summary: "Edit, check or uncheck a checklist item (editor)", tags: tags,
                requestBody: RequestBodyDoc(schema: T.object(["text": T.string, "checked": T.boolean])),
                responses: answer)
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            return try .json(
                s.updateChecklistEntry(
                    try request.tripID, try request.uuid("cid", "checklist"), try request.uuid("eid", "checklist item"),
                    try request.decodeJSON(ChecklistEntryInput.self), p))
        }
        routes.delete(
            "/v1/trips/{id}/checklists/{cid}/items/{eid}",
            doc: RouteDoc(
                summary: "Delete a checklist item (editor)", tags: tags,
                responses: [ResponseDoc(204, "Deleted", contentType: nil), T.forbidden, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            try s.deleteChecklistEntry(
                try request.tripID, try request.uuid("cid", "checklist"), try request.uuid("eid", "checklist item"), p)
            return .noContent
        }
        routes.post(
            "/v1/trips/{id}/checklists/{cid}/items/{eid}/move", middleware: idempotent,
            doc: RouteDoc(
                summary: "Reorder a checklist item (editor)", tags: tags,
                requestBody: RequestBodyDoc(schema: T.object(["after_id": T.uuid]), required: false), responses: answer)
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let input =
                request.body.isEmpty
                ? ChecklistMoveInput(afterId: nil) : try request.decodeJSON(ChecklistMoveInput.self)
            return try .json(
                s.moveChecklistEntry(
                    try request.tripID, try request.uuid("cid", "checklist"), try request.uuid("eid", "checklist item"),
                    input, p))
        }
    }
}
