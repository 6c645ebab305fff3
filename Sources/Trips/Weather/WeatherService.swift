import Foundation
import HTTP
import HTTPClient
import Kernel
import Logging
import Redis

/// `GET /v1/trips/{id}/weather`: the daily forecast at the trip's destination over its dates, cached
/// in Redis for an hour (forecasts are revised hourly). Days beyond the provider's horizon are
/// listed as unavailable, never invented; a provider failure is a 503.
final class WeatherService: Sendable {
    static let cacheTTL: Duration = .seconds(3600)
    /// Open-Meteo's forecast endpoint covers about 92 days back and 16 days ahead.
    static let pastDays = 92
    static let aheadDays = 15

    let provider: OpenMeteoProvider?
    let redis: RedisPool?
    let trips: TripService
    let logger = Logger(label: "travelsense.weather")

    init(settings: TripsSettings, redis: RedisPool?, trips: TripService, client: HTTPClient) {
        provider = settings.weatherURL.map {
            OpenMeteoProvider(baseURL: $0, client: client, timeout: settings.providerTimeout)
        }
        self.redis = redis
        self.trips = trips
    }

    struct Answer: Encodable {
        var tripId: String
        var location: Destination
        var timezone: String
        var days: [WeatherDay]
        var source: String
        var cached: Bool
    }

    func forecast(
        _ tripID: UUID, _ principal: Principal, traceparent: String? = nil, today: Date = Date()
    ) throws -> Answer {
        let trip = try trips.trip(tripID, principal)
        guard let provider else {
            throw PlacesService.unavailable("Weather is turned off on this server (WEATHER_URL=off).")
        }
        guard let destination = trip.destination, let lat = destination.lat, let lon = destination.lon else {
            throw HTTPError(
                .unprocessableContent,
                detail: "The trip's destination has no coordinates; set destination.lat and .lon.",
                errors: [.init(field: "destination", message: "needs lat and lon for a forecast")])
        }
        let now = CalendarDate(today, in: TimeZones.zone(trip.timezone))
        let from = max(trip.startDate, now.adding(days: -Self.pastDays))
        let to = min(trip.endDate, now.adding(days: Self.aheadDays))
        var known: [CalendarDate: WeatherDay] = [:]
        var cached = false
        if from <= to {
            let key = "weather:\(String(format: "%.2f,%.2f", lat, lon)):\(from):\(to):\(trip.timezone)"
            if let redis, let bytes = try? redis.get(key),
                let hit = try? JSONBody.decode([WeatherDay].self, from: bytes)
            {
                for day in hit { known[day.date] = day }
                cached = true
            } else {
                let days: [WeatherDay]
                do {
                    days = try provider.forecast(
                        at: Coordinate(latitude: lat, longitude: lon), from: from, to: to, timezone: trip.timezone,
                        traceparent: traceparent)
                } catch {
                    logger.warning("weather provider failed", metadata: ["error": "\(error)"])
                    throw PlacesService.unavailable("The weather provider is unavailable; try again shortly.")
                }
                for day in days { known[day.date] = day }
                if let redis { try? redis.set(key, try JSONBody.encode(days), expiresIn: Self.cacheTTL) }
            }
        }
        var days: [WeatherDay] = []
        var date = trip.startDate
        while date <= trip.endDate {
            days.append(known[date] ?? WeatherDay(date: date, available: false))
            date = date.adding(days: 1)
        }
        return Answer(
            tripId: trip.id, location: destination, timezone: trip.timezone, days: days, source: "open-meteo",
            cached: cached)
    }
}
