import Foundation
import HTTP
import Kernel

/// `/v1/places/search`, `/v1/trips/{id}/weather` and `/v1/trips/{id}/days/{date}/optimize`: what
/// Trips asks of geography.
struct PlaceRoutes {
    let places: PlacesService
    let weather: WeatherService
    let service: TripService
    let idempotent: [any Middleware]

    func register(_ routes: inout Routes) {
        let places = places
        let weather = weather
        let s = service
        typealias T = TripSchemas
        let place = T.object(
            [
                "name": T.string, "display_name": T.string, "lat": T.latitude, "lon": T.longitude,
                "country_code": T.string, "timezone": T.string, "population": T.integer, "provider_ref": T.string,
            ], required: ["name", "display_name", "lat", "lon", "provider_ref"])
        routes.get(
            "/v1/places/search",
            doc: RouteDoc(
                summary: "Find places by name",
                description:
                    "The offline GeoNames gazetteer by default, or a Nominatim server (answers cached in Redis).",
                tags: ["places"],
                parameters: [
                    ParameterDoc("q", required: true),
                    ParameterDoc("near", description: "lat,lon to favour nearby places"),
                    ParameterDoc("limit", schema: T.integer),
                ],
                responses: [
                    ResponseDoc(
                        200, "Matches, best first",
                        schema: T.object(
                            ["data": T.array(place), "source": T.string, "attribution": T.string, "cached": T.boolean])),
                    T.invalid, .problem(503, "The provider is unavailable and nothing is cached"),
                ])
        ) { request in
            _ = try request.authenticated(scope: .tripsRead)
            var e = FieldErrors()
            let q = e.text(request.queryValue("q"), "q", max: 200)
            var near: Coordinate?
            if let text = request.queryValue("near") {
                let parts = text.split(separator: ",").map { Double(String($0).trimmingWhitespace()) }
                if parts.count == 2, let lat = parts[0], let lon = parts[1], (-90...90).contains(lat),
                    (-180...180).contains(lon)
                {
                    near = Coordinate(latitude: lat, longitude: lon)
                } else {
                    e.add("near", "must be lat,lon")
                }
            }
            var limit = 10
            if let text = request.queryValue("limit") {
                if let n = Int(text), (1...PlacesService.maximumLimit).contains(n) {
                    limit = n
                } else {
                    e.add("limit", "must be an integer from 1 to \(PlacesService.maximumLimit)")
                }
            }
            try e.check(title: "Invalid query parameters")
            return try .json(
                places.search(
                    q ?? "", near: near, limit: limit,
                    traceparent: TraceContext.traceparent(request.headers["traceparent"])))
        }
        routes.get(
            "/v1/trips/{id}/weather",
            doc: RouteDoc(
                summary: "Daily forecast at the destination over the trip's dates",
                description: "Days beyond the provider's horizon are listed with `available: false`.", tags: ["places"],
                responses: [
                    ResponseDoc(200, "Forecast", schema: T.anyObject), T.notFound,
                    .problem(422, "The destination has no coordinates"),
                    .problem(503, "The weather provider is unavailable"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(
                weather.forecast(
                    try request.tripID, p, traceparent: TraceContext.traceparent(request.headers["traceparent"])))
        }
        routes.post(
            "/v1/trips/{id}/days/{date}/optimize", middleware: idempotent,
            doc: RouteDoc(
                summary: "Reorder a day's located items to shorten the walk",
                description:
                    "Nearest neighbour + 2-opt; the night's lodging anchors both ends; items with fixed times keep their order. `dry_run` only answers.",
                tags: ["items"], requestBody: RequestBodyDoc(schema: T.object(["dry_run": T.boolean]), required: false),
                responses: [
                    ResponseDoc(
                        200, "The new order and distances",
                        schema: T.object(
                            [
                                "date": T.date, "order": T.array(T.uuid), "distance_before_m": T.integer,
                                "distance_after_m": T.integer, "applied": T.boolean,
                            ])), T.forbidden, T.notFound,
                ])
        ) { request in
            let input = request.body.isEmpty ? OptimizeInput(dryRun: nil) : try request.decodeJSON(OptimizeInput.self)
            let dryRun = input.dryRun ?? false
            let p = try request.authenticated(scope: dryRun ? .tripsRead : .tripsWrite)
            guard let date = request.parameters["date"].flatMap(CalendarDate.init) else {
                throw HTTPError(.notFound, detail: "No such day.")
            }
            return try .json(s.optimizeDay(try request.tripID, date, dryRun: dryRun, p))
        }
    }
}
