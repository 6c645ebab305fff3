import Foundation
import HTTP
import HTTPClient

/// One day's forecast for a place.
public struct WeatherDay: Sendable, Codable, Equatable {
    public var date: CalendarDate
    /// False for days the provider has no forecast for yet (too far ahead or too far past).
    public var available: Bool
    /// WMO weather interpretation code, and its meaning in words.
    public var weatherCode: Int?
    public var summary: String?
    public var temperatureMaxC: Double?
    public var temperatureMinC: Double?
    public var precipitationMm: Double?
    public var precipitationProbability: Int?
    public var windSpeedMaxKmh: Double?
}

/// An Open-Meteo-compatible forecast API (`/v1/forecast?daily=…`): open-meteo.com or a self-hosted
/// instance.
struct OpenMeteoProvider: Sendable {
    let baseURL: String
    let client: HTTPClient
    let timeout: Duration

    static let daily = [
        "weather_code", "temperature_2m_max", "temperature_2m_min", "precipitation_sum",
        "precipitation_probability_max", "wind_speed_10m_max",
    ]

    func forecast(
        at point: Coordinate, from: CalendarDate, to: CalendarDate, timezone: String, traceparent: String? = nil
    ) throws -> [WeatherDay] {
        let url =
            baseURL + "/v1/forecast?latitude=" + String(format: "%.4f", point.latitude) + "&longitude="
            + String(format: "%.4f", point.longitude) + "&daily=" + Self.daily.joined(separator: ",") + "&timezone="
            + NominatimGeocoder.escape(timezone) + "&start_date=\(from)&end_date=\(to)"
        let response: HTTPClientResponse
        do {
            var headers = HTTPFields()
            if let traceparent { headers.append("traceparent", traceparent) }
            response = try client.execute(try HTTPClientRequest(url: url, headers: headers), timeout: timeout)
        } catch {
            throw ProviderUnavailable(description: "weather: \(error)")
        }
        guard response.status.code == 200 else {
            let reason = (try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body)))?.reason ?? ""
            throw ProviderUnavailable(description: "weather provider answered \(response.status.code) \(reason)")
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(response.body)) else {
            throw ProviderUnavailable(description: "weather provider sent an unreadable answer")
        }
        let d = body.daily
        return d.time.enumerated().compactMap { i, text in
            guard let date = CalendarDate(text) else { return nil }
            func at<T>(_ list: [T?]?) -> T? { list.flatMap { i < $0.count ? $0[i] : nil } }
            let code = at(d.weatherCode)
            return WeatherDay(
                date: date, available: code != nil || at(d.temperature2mMax) != nil, weatherCode: code,
                summary: code.map(Self.summary), temperatureMaxC: at(d.temperature2mMax),
                temperatureMinC: at(d.temperature2mMin), precipitationMm: at(d.precipitationSum),
                precipitationProbability: at(d.precipitationProbabilityMax), windSpeedMaxKmh: at(d.windSpeed10mMax))
        }
    }

    /// WMO code table 4677 as Open-Meteo documents it, in words.
    static func summary(_ code: Int) -> String {
        switch code {
        case 0: return "Clear sky"
        case 1: return "Mainly clear"
        case 2: return "Partly cloudy"
        case 3: return "Overcast"
        case 45, 48: return "Fog"
        case 51, 53, 55: return "Drizzle"
        case 56, 57: return "Freezing drizzle"
        case 61, 63, 65: return "Rain"
        case 66, 67: return "Freezing rain"
        case 71, 73, 75, 77: return "Snow"
        case 80, 81, 82: return "Rain showers"
        case 85, 86: return "Snow showers"
        case 95: return "Thunderstorm"
        case 96, 99: return "Thunderstorm with hail"
        default: return "Unknown"
        }
    }

    struct Body: Decodable {
        var daily: Daily
    }

    struct Daily: Decodable {
        var time: [String]
        var weatherCode: [Int?]?
        var temperature2mMax: [Double?]?
        var temperature2mMin: [Double?]?
        var precipitationSum: [Double?]?
        var precipitationProbabilityMax: [Int?]?
        var windSpeed10mMax: [Double?]?

        enum CodingKeys: String, CodingKey {
            case time
            case weatherCode = "weather_code"
            case temperature2mMax = "temperature_2m_max"
            case
                temperature2mMin = "temperature_2m_min"
            case precipitationSum = "precipitation_sum"
            case
                precipitationProbabilityMax = "precipitation_probability_max"
            case windSpeed10mMax = "wind_speed_10m_max"
        }
    }

    struct ErrorBody: Decodable {
        var reason: String?
    }
}
