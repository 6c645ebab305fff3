import Foundation
import HTTP
import Kernel

/// `/v1/trips/{id}/items…`: itinerary items, with ETags and fractional reordering.
struct ItemRoutes {
    let service: TripService
    let idempotent: [any Middleware]

    func register(_ routes: inout Routes) {
        let s = service
        let tags = ["items"]
        typealias T = TripSchemas
        routes.post(
            "/v1/trips/{id}/items", middleware: idempotent,
            doc: RouteDoc(
                summary: "Add an item (editor)", tags: tags, parameters: [T.idempotencyKey],
                requestBody: RequestBodyDoc(schema: T.itemInput),
                responses: [
                    ResponseDoc(201, "Created", schema: T.item), T.invalid, T.forbidden, T.notFound,
                    .problem(409, "The trip already holds 2,000 items"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let tripID = try request.tripID
            let item = try s.createItem(tripID, try request.decodeJSON(ItemInput.self), p)
            var response = try Response.json(item, etag: item.etag, status: .created)
            response.headers.append(.location, "/v1/trips/\(item.tripId)/items/\(item.id)")
            return response
        }
        routes.get(
            "/v1/trips/{id}/items",
            doc: RouteDoc(
                summary: "List items in itinerary order", tags: tags,
                parameters: [
                    ParameterDoc("day", schema: T.date), ParameterDoc("limit", schema: T.integer),
                    ParameterDoc("cursor"),
                ],
                responses: [ResponseDoc(200, "A page of items", schema: T.page(T.item)), T.invalid, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            var e = FieldErrors()
            let day = request.queryValue("day").flatMap { e.date($0, "day") }
            try e.check(title: "Invalid query parameters")
            return try .json(s.items(try request.tripID, day: day, page: try PageRequest(request, fields: 2), p))
        }
        routes.get(
            "/v1/trips/{id}/items/{iid}",
            doc: RouteDoc(
                summary: "Read an item", tags: tags, parameters: [T.ifNoneMatch],
                responses: [ResponseDoc(200, "The item", schema: T.item), T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            let item = try s.item(try request.tripID, try request.uuid("iid", "item"), p)
            if let tags = request.ifNoneMatch, tags.contains(item.etag) {
                return Response.cachedJSON(etag: item.etag, body: nil)
            }
            return try .json(item, etag: item.etag)
        }
        routes.patch(
            "/v1/trips/{id}/items/{iid}",
            doc: RouteDoc(
                summary: "Change an item (editor)", tags: tags, parameters: [T.ifMatch],
                requestBody: RequestBodyDoc(schema: T.itemInput),
                responses: [ResponseDoc(200, "The item", schema: T.item), T.invalid, T.forbidden, T.notFound, T.stale])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let item = try s.updateItem(
                try request.tripID, try request.uuid("iid", "item"), try request.decodeJSON(ItemInput.self),
                ifMatch: try request.ifMatchVersion("i", "item"), p)
            return try .json(item, etag: item.etag)
        }
        routes.delete(
            "/v1/trips/{id}/items/{iid}",
            doc: RouteDoc(
                summary: "Delete an item (editor)", tags: tags, parameters: [T.ifMatch],
                responses: [ResponseDoc(204, "Deleted", contentType: nil), T.forbidden, T.notFound, T.stale])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            try s.deleteItem(
                try request.tripID, try request.uuid("iid", "item"), ifMatch: try request.ifMatchVersion("i", "item"), p
            )
            return .noContent
        }
        routes.post(
            "/v1/trips/{id}/items/{iid}/move", middleware: idempotent,
            doc: RouteDoc(
                summary: "Move an item to a day (null: unscheduled), after another item or first", tags: tags,
                requestBody: RequestBodyDoc(
                    schema: T.object(
                        ["day": ["type": ["string", "null"], "format": "date"], "after_id": T.uuid], required: ["day"])),
                responses: [ResponseDoc(200, "The item", schema: T.item), T.invalid, T.forbidden, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let item = try s.moveItem(
                try request.tripID, try request.uuid("iid", "item"), try request.decodeJSON(MoveInput.self), p)
            return try .json(item, etag: item.etag)
        }
    }
}
