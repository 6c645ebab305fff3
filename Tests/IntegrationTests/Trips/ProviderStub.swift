import Foundation
import HTTP
import TestSupport

/// A local server speaking the two providers' wire formats, as their public instances do:
/// Nominatim's `/search?format=jsonv2` and Open-Meteo's `/v1/forecast?daily=…` (with its
/// `{"error": true, "reason": …}` answer to a bad request). It counts requests and can be stopped
/// to play an outage.
final class ProviderStub: Sendable {
    let server: HTTPServer
    let searches = Locked(0)
    let forecasts = Locked(0)
    /// The `traceparent` of the last search, to check it is propagated.
    let lastTraceparent = Locked<String?>(nil)

    init() throws {
        var config = ServerConfiguration()
        config.host = "127.0.0.1"
        config.port = 0
        config.ioQueues = 1
        config.handlerThreads = 2
        config.gracePeriod = .seconds(1)
        let searches = searches
        let forecasts = forecasts
        let lastTraceparent = lastTraceparent
        var r = Router()
        r.get("/search") { req in
            searches.withLock { $0 += 1 }
            lastTraceparent.withLock { $0 = req.headers["traceparent"] }
            guard req.queryValue("format") == "jsonv2", let q = req.queryValue("q") else {
                return Response(
                    status: .badRequest, contentType: "application/json", body: Array(#"{"error":"bad"}"#.utf8))
            }
            let hits = q.lowercased().contains("lisbon") ? [Self.lisbon] : []
            return Response(contentType: "application/json", body: Array("[\(hits.joined(separator: ","))]".utf8))
        }
        r.get("/v1/forecast") { req in
            forecasts.withLock { $0 += 1 }
            guard let start = req.queryValue("start_date"), let end = req.queryValue("end_date"),
                req.queryValue("daily")?.contains("temperature_2m_max") == true, req.queryValue("timezone") != nil,
                let from = Self.day(start), let to = Self.day(end), from <= to
            else {
                return Response(
                    status: .badRequest, contentType: "application/json",
                    body: Array(#"{"error":true,"reason":"Parameter 'start_date' is out of allowed range"}"#.utf8))
            }
            return Response(contentType: "application/json", body: Array(Self.forecast(from: from, to: to).utf8))
        }
        server = HTTPServer(configuration: config, router: r)
        try server.start()
    }

    deinit { _ = server.shutdown() }

    var url: String { "http://127.0.0.1:\(server.port)" }

    func stop() { _ = server.shutdown() }

    /// One result as Nominatim 4.x returns it for "Lisbon".
    static let lisbon = """
        {"place_id":297960164,"licence":"Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",\
        "osm_type":"relation","osm_id":5400890,"lat":"38.7077507","lon":"-9.1365919","category":"boundary",\
        "type":"administrative","place_rank":14,"importance":0.7750286498006847,"addresstype":"city","name":"Lisboa",\
        "display_name":"Lisboa, Portugal","address":{"city":"Lisboa","ISO3166-2-lvl6":"PT-11","country":"Portugal",\
        "country_code":"pt"},"boundingbox":["38.6913994","38.7967584","-9.2298356","-9.0863328"]}
        """

    static func day(_ text: String) -> Date? {
        var c = DateComponents()
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        (c.year, c.month, c.day) = (parts[0], parts[1], parts[2])
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? .current
        return cal.date(from: c)
    }

    /// Open-Meteo's daily answer shape, one entry per day.
    static func forecast(from: Date, to: Date) -> String {
        var days: [String] = []
        var d = from
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        while d <= to {
            days.append(f.string(from: d))
            d += 86_400
        }
        let n = days.count
        func list(_ v: String) -> String { "[" + Array(repeating: v, count: n).joined(separator: ",") + "]" }
        return """
            {"latitude":38.72,"longitude":-9.14,"generationtime_ms":0.05,"utc_offset_seconds":3600,\
            "timezone":"Europe/Lisbon","timezone_abbreviation":"WEST","elevation":45.0,\
            "daily_units":{"time":"iso8601","weather_code":"wmo code","temperature_2m_max":"°C"},\
            "daily":{"time":[\(days.map { "\"\($0)\"" }.joined(separator: ","))],"weather_code":\(list("3")),\
            "temperature_2m_max":\(list("24.1")),"temperature_2m_min":\(list("15.2")),"precipitation_sum":\(list("0.0")),\
            "precipitation_probability_max":\(list("10")),"wind_speed_10m_max":\(list("18.4"))}}
            """
    }
}
