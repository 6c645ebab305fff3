/// The Trips module's outside providers: place search and weather.
public struct TripsSettings: Sendable {
    public enum PlacesProvider: String, Sendable {
        /// The offline world-cities gazetteer shipped with the server (GeoNames cities ≥ 15,000 people).
        case gazetteer
        /// A server speaking the Nominatim search API at `nominatimURL`.
        case nominatim
    }

    public var placesProvider = PlacesProvider.gazetteer
    public var nominatimURL = "https://nominatim.openstreetmap.org"
    /// The gazetteer data file; nil finds the one installed next to the executable or in the source tree.
    public var gazetteerFile: String?
    /// An Open-Meteo-compatible forecast API; nil turns weather off (503 saying so).
    public var weatherURL: String? = "https://api.open-meteo.com"
    /// Whole-request deadline of a call to a provider.
    public var providerTimeout: Duration = .seconds(5)

    public init() {}

    static func load(from env: inout Environment) -> TripsSettings {
        var t = TripsSettings()
        t.placesProvider = env.choice(
            "PLACES_PROVIDER", default: t.placesProvider, options: ["gazetteer": .gazetteer, "nominatim": .nominatim])
        t.nominatimURL = env.url("NOMINATIM_URL", schemes: ["http", "https"]) ?? t.nominatimURL
        t.gazetteerFile = env.string("GAZETTEER_FILE")
        if let file = t.gazetteerFile,
            file.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            env.problem("GAZETTEER_FILE", "must be a file path")
        }
        if let weather = env.string("WEATHER_URL") {
            t.weatherURL =
                weather.isEmpty || weather == "off" ? nil : env.url("WEATHER_URL", schemes: ["http", "https"])
        }
        t.providerTimeout = env.seconds("PROVIDER_TIMEOUT", default: t.providerTimeout, in: 0.1...120)
        if t.nominatimURL.hasSuffix("/") { t.nominatimURL.removeLast() }
        if let url = t.weatherURL, url.hasSuffix("/") { t.weatherURL = String(url.dropLast()) }
        return t
    }
}
