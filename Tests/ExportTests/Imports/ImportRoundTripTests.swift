import Foundation
import Testing
import Trips

@testable import Export

/// Our own exports read back by our importers: what we write, we can read, and nothing is lost that
/// both sides carry.
@Suite struct ImportRoundTripTests {
    static let points = [
        GeoExport.Point(
            name: "Belém <Tower> & \"Jerónimos\"", lat: 38.6916, lon: -9.216, description: "Walk, then eat"),
        GeoExport.Point(
            name: "Time Out Market", lat: 38.70686, lon: -9.14596, time: Date(timeIntervalSince1970: 1.8e9)),
        GeoExport.Point(name: "Livraria Lello", lat: 41.1468, lon: -8.6148),
    ]
    static let geo = GeoExport(
        name: "Lisbon & Porto", description: "Spring '27", waypoints: points,
        routes: [GeoExport.Route(name: "2027-03-27", points: Array(points.prefix(2)))])

    static func same(_ place: ImportedPlace, _ point: GeoExport.Point) -> Bool {
        place.name == point.name && abs(place.lat - point.lat) < 1e-7 && abs(place.lon - point.lon) < 1e-7
            && place.notes == point.description
    }

    @Test func gpxWaypointsAndRoutesComeBack() throws {
        let places = try GPXImport.places(from: GPXWriter.render(Self.geo))
        #expect(places.count == 5)
        for (place, point) in zip(places, Self.points + Self.points.prefix(2)) {
            #expect(Self.same(place, point), "\(place)")
        }
        #expect(places.map(\.group) == [nil, nil, nil, "2027-03-27", "2027-03-27"])
    }

    @Test func kmlPointPlacemarksComeBackAndRouteLinesDoNot() throws {
        let places = try KMLImport.places(from: KMLWriter.render(Self.geo))
        #expect(places.count == 3)
        for (place, point) in zip(places, Self.points) { #expect(Self.same(place, point), "\(place)") }
    }

    @Test func calendarEventsComeBack() throws {
        let modified = Date(timeIntervalSince1970: 1_800_000_000)
        let day = CalendarDate("2027-03-27")!
        let flight = Date(timeIntervalSince1970: 1_806_220_800)
        let calendar = ICSCalendar(
            name: "Lisbon, spring",
            events: [
                CalendarEvent(
                    uid: "item-1@travelsense", summary: "Breakfast, coffee; pastéis \\ nata",
                    timing: .local(
                        day: day, start: LocalTime("09:00")!, end: LocalTime("10:30")!, timeZone: "Europe/Lisbon"),
                    location: "Pastéis de Belém, Lisboa", coordinates: (38.6975, -9.2033),
                    description: "First line\nSecond line, with a comma; and a semicolon. "
                        + String(repeating: "Saudade é uma palavra portuguesa — ", count: 6) + "fim.",
                    lastModified: modified),
                CalendarEvent(
                    uid: "item-2@travelsense", summary: "Fado night",
                    timing: .local(
                        day: day, start: LocalTime("23:30")!, end: LocalTime("01:00")!, timeZone: "Europe/Lisbon"),
                    lastModified: modified),
                CalendarEvent(
                    uid: "item-3@travelsense", summary: "Hotel Avenida",
                    timing: .allDay(first: day, endExclusive: day.adding(days: 3)), lastModified: modified),
                CalendarEvent(
                    uid: "item-4@travelsense", summary: "TP 1353 LIS → ZRH",
                    timing: .instant(start: flight, end: flight.addingTimeInterval(9000)),
                    url: "https://www.flytap.com/",
                    lastModified: modified),
            ])
        let events = try ICSImport.events(from: calendar.render())
        #expect(events.count == 4)
        let lisbon = "Europe/Lisbon"
        #expect(events[0].uid == "item-1@travelsense")
        #expect(events[0].summary == calendar.events[0].summary)
        #expect(events[0].description == calendar.events[0].description)
        #expect(events[0].location == "Pastéis de Belém, Lisboa")
        #expect(events[0].geo?.lat == 38.6975 && events[0].geo?.lon == -9.2033)
        #expect(events[0].start == .local(date: day, hour: 9, minute: 0, second: 0, tzid: lisbon))
        #expect(events[0].end == .local(date: day, hour: 10, minute: 30, second: 0, tzid: lisbon))
        #expect(events[1].end == .local(date: day.adding(days: 1), hour: 1, minute: 0, second: 0, tzid: lisbon))
        #expect(events[2].start == .date(day) && events[2].end == .date(day.adding(days: 3)))
        #expect(events[3].start == .utc(flight) && events[3].end == .utc(flight.addingTimeInterval(9000)))
        #expect(events[3].url == "https://www.flytap.com/")
    }
}
