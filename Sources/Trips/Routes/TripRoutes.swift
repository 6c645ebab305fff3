import Foundation
import HTTP
import Kernel

/// `/v1/trips` and `/v1/trips/{id}`: the trips themselves.
struct TripRoutes {
    let service: TripService
    let idempotent: [any Middleware]

    func register(_ routes: inout Routes) {
        let s = service
        let tags = ["trips"]
        typealias T = TripSchemas
        routes.post(
            "/v1/trips", middleware: idempotent,
            doc: RouteDoc(
                summary: "Create a trip", tags: tags, parameters: [T.idempotencyKey],
                requestBody: RequestBodyDoc(schema: T.tripInput),
                responses: [
                    ResponseDoc(201, "Created", schema: T.trip, headers: [("ETag", "Version")]), T.invalid,
                    T.unauthorized,
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let trip = try s.createTrip(try request.decodeJSON(TripInput.self), by: p)
            var response = try Response.json(trip, etag: trip.etag, status: .created)
            response.headers.append(.location, "/v1/trips/\(trip.id)")
            return response
        }
        routes.get(
            "/v1/trips",
            doc: RouteDoc(
                summary: "List my trips (owned and shared)", tags: tags,
                parameters: [
                    ParameterDoc("q", description: "Text in the title or destination"),
                    ParameterDoc("from", description: "Trips ending on or after this date", schema: T.date),
                    ParameterDoc("to", description: "Trips starting on or before this date", schema: T.date),
                    ParameterDoc("role", schema: T.role),
                    ParameterDoc("sort", description: "`created` (newest first, default) or `start_date`"),
                    ParameterDoc("deleted", description: "`true`: my trash (restorable trips)"),
                    ParameterDoc("limit", schema: T.integer), ParameterDoc("cursor"),
                ],
                responses: [ResponseDoc(200, "A page of trips", schema: T.page(T.trip)), T.invalid, T.unauthorized])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(s.trips(try Self.listQuery(request), p))
        }
        routes.get(
            "/v1/trips/{id}",
            doc: RouteDoc(
                summary: "Read a trip", tags: tags,
                responses: [ResponseDoc(200, "The trip", schema: T.trip, headers: [("ETag", "Version")]), T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            let trip = try s.trip(try request.tripID, p)
            if let tags = request.ifNoneMatch, tags.contains(trip.etag) {
                return Response.cachedJSON(etag: trip.etag, body: nil)
            }
            return try .json(trip, etag: trip.etag)
        }
        routes.patch(
            "/v1/trips/{id}",
            doc: RouteDoc(
                summary: "Change a trip (editor)",
                description: "Only the fields sent change; null clears an optional field.",
                tags: tags, parameters: [T.ifMatch], requestBody: RequestBodyDoc(schema: T.tripInput),
                responses: [
                    ResponseDoc(200, "The trip", schema: T.trip), T.invalid, T.forbidden, T.notFound, T.stale,
                    .problem(409, "Items would fall outside the new dates, or expenses exist in the old currency"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let trip = try s.updateTrip(
                try request.tripID, try request.decodeJSON(TripInput.self),
                ifMatch: try request.ifMatchVersion("t", "trip"), p)
            return try .json(trip, etag: trip.etag)
        }
        routes.delete(
            "/v1/trips/{id}",
            doc: RouteDoc(
                summary: "Delete a trip (owner)", description: "Restorable for 30 days, then purged.", tags: tags,
                parameters: [T.ifMatch],
                responses: [ResponseDoc(204, "In the trash", contentType: nil), T.forbidden, T.notFound, T.stale])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            try s.deleteTrip(try request.tripID, ifMatch: try request.ifMatchVersion("t", "trip"), p)
            return .noContent
        }
        routes.post(
            "/v1/trips/{id}/restore", middleware: idempotent,
            doc: RouteDoc(
                summary: "Restore a deleted trip (owner, within 30 days)", tags: tags,
                responses: [ResponseDoc(200, "The trip", schema: T.trip), T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let trip = try s.restoreTrip(try request.tripID, p)
            return try .json(trip, etag: trip.etag)
        }
        routes.post(
            "/v1/trips/{id}/duplicate", middleware: idempotent,
            doc: RouteDoc(
                summary: "Copy a trip to new dates",
                description: "Items and checklists are copied (booking codes are not); members and expenses are not.",
                tags: tags, parameters: [T.idempotencyKey],
                requestBody: RequestBodyDoc(
                    schema: T.object(["start_date": T.date, "title": T.string], required: ["start_date"])),
                responses: [ResponseDoc(201, "The copy", schema: T.trip), T.invalid, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let trip = try s.duplicateTrip(try request.tripID, try request.decodeJSON(DuplicateInput.self), p)
            var response = try Response.json(trip, etag: trip.etag, status: .created)
            response.headers.append(.location, "/v1/trips/\(trip.id)")
            return response
        }
        routes.get(
            "/v1/trips/{id}/itinerary",
            doc: RouteDoc(
                summary: "The day-by-day itinerary",
                description:
                    "Days in order with their items, cost totals per currency and distances between located items.",
                tags: tags, parameters: [T.ifNoneMatch],
                responses: [
                    ResponseDoc(
                        200, "The itinerary", schema: T.anyObject,
                        headers: [("ETag", "Changes with any write to the trip")]),
                    ResponseDoc(304, "Unchanged", contentType: nil), T.notFound,
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            let (etag, body) = try s.itinerary(try request.tripID, ifNoneMatch: request.ifNoneMatch, p)
            return Response.cachedJSON(etag: etag, body: body)
        }
    }

    static func listQuery(_ request: Request) throws -> TripListQuery {
        var q = TripListQuery()
        var e = FieldErrors()
        q.text = request.queryValue("q").map { String($0.prefix(200)) }
        q.from = request.queryValue("from").flatMap { e.date($0, "from") }
        q.to = request.queryValue("to").flatMap { e.date($0, "to") }
        if let role = request.queryValue("role") {
            q.role = TripRole(rawValue: role)
            if q.role == nil { e.add("role", "must be owner, editor or viewer") }
        }
        if let sort = request.queryValue("sort") {
            if let s = TripListQuery.Sort(rawValue: sort) {
                q.sort = s
            } else {
                e.add("sort", "must be created or start_date")
            }
        }
        if let deleted = request.queryValue("deleted") {
            if deleted == "true" {
                q.deleted = true
            } else if deleted != "false" {
                e.add("deleted", "must be true or false")
            }
        }
        try e.check(title: "Invalid query parameters")
        q.page = try PageRequest(request, fields: 3)
        return q
    }
}
