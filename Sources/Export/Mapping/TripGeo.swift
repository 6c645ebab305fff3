import Foundation
import Trips

/// A trip for the map formats: every located item a waypoint (itinerary order), and each day's
/// located items as that day's route.
enum TripGeo {
    static func export(_ itinerary: ItineraryView) -> GeoExport {
        let scheduled = itinerary.days.map { day in (day.date, day.items.compactMap { point($0.item) }) }
        let ideas = itinerary.unscheduled.compactMap { point($0.item) }
        return GeoExport(
            name: itinerary.trip.title, description: itinerary.trip.description,
            waypoints: scheduled.flatMap(\.1) + ideas,
            routes: scheduled.map { GeoExport.Route(name: $0.0.description, points: $0.1) })
    }

    static func point(_ item: ItemView) -> GeoExport.Point? {
        guard let c = TripCalendar.coordinates(item) else { return nil }
        return GeoExport.Point(name: item.title, lat: c.lat, lon: c.lon, description: item.notes, time: item.startsAt)
    }
}
