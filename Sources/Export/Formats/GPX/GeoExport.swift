import Foundation

/// What the map formats (GPX, KML) show of a trip: a waypoint per located item, and a route per day
/// through that day's located items in itinerary order.
public struct GeoExport: Sendable {
    public struct Point: Sendable, Equatable {
        public var name: String
        public var lat: Double
        public var lon: Double
        public var description: String?
        /// When the item starts, if it has an absolute time (GPX `<time>`).
        public var time: Date?

        public init(name: String, lat: Double, lon: Double, description: String? = nil, time: Date? = nil) {
            self.name = name
            self.lat = lat
            self.lon = lon
            self.description = description
            self.time = time
        }

        var isValid: Bool { (-90...90).contains(lat) && (-180...180).contains(lon) && lat.isFinite && lon.isFinite }
    }

    public struct Route: Sendable, Equatable {
        public var name: String
        public var points: [Point]

        public init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    public var name: String
    public var description: String?
    public var waypoints: [Point]
    public var routes: [Route]

    public init(name: String, description: String? = nil, waypoints: [Point], routes: [Route]) {
        self.name = name
        self.description = description
        self.waypoints = waypoints
        self.routes = routes
    }
}
