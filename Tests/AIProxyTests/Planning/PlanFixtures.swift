import Kernel
import Trips

@testable import AIProxy

/// A four-day Lisbon trip with ideas around Belém and Alfama and one item already scheduled, and a
/// hand-made plan for it that passes every check.
enum PlanFixtures {
    static let day1 = "2027-05-01"
    static let day2 = "2027-05-02"
    static let day3 = "2027-05-03"

    static func date(_ text: String) -> CalendarDate { CalendarDate(text) ?? CalendarDate(daysSinceEpoch: 0) }

    static func place(_ name: String, _ lat: Double, _ lon: Double) -> PlanPlace {
        PlanPlace(name: name, lat: lat, lon: lon)
    }

    static let tower = place("Belém Tower", 38.6916, -9.2160)
    static let monastery = place("Jerónimos Monastery", 38.6979, -9.2068)
    static let pasteis = place("Pastéis de Belém", 38.6975, -9.2032)
    static let alfama = place("Alfama", 38.7118, -9.1300)
    static let castle = place("São Jorge Castle", 38.7139, -9.1335)

    static let towerID = "01900000-0000-7000-8000-000000000001"
    static let monasteryID = "01900000-0000-7000-8000-000000000002"
    static let alfamaID = "01900000-0000-7000-8000-000000000003"

    static var trip: PlanningTrip {
        PlanningTrip(
            id: "01900000-0000-7000-8000-0000000000aa", title: "Lisbon", startDate: date(day1),
            endDate: date("2027-05-04"), timezone: "Europe/Lisbon", currency: "EUR",
            destination: nil,
            scheduled: [
                TripItem(
                    id: "01900000-0000-7000-8000-0000000000c1", kind: .activity, title: "Castle visit",
                    day: date(day2), start: 10 * 60, end: 11 * 60, place: castle)
            ],
            ideas: [
                TripItem(
                    id: towerID, kind: .activity, title: "Belém Tower", place: tower,
                    cost: MoneyAmount(amount: 1000, currency: "EUR")),
                TripItem(
                    id: monasteryID, kind: .activity, title: "Jerónimos Monastery", place: monastery,
                    cost: MoneyAmount(amount: 1200, currency: "EUR")),
                TripItem(id: alfamaID, kind: .activity, title: "Alfama walk", place: alfama),
            ])
    }

    static var request: PlanRequest {
        PlanRequest(
            interests: ["history"], pace: .normal, budget: MoneyAmount(amount: 10_000, currency: "EUR"),
            mustInclude: ["Belém Tower"], avoid: ["casino"], days: nil)
    }

    static var plan: [PlanItem] {
        [
            PlanItem(
                itemId: towerID, day: day1, startTime: "09:00", endTime: "11:00", title: "Belém Tower",
                kind: "activity", place: tower, cost: MoneyAmount(amount: 1000, currency: "EUR")),
            PlanItem(
                itemId: monasteryID, day: day1, startTime: "11:30", endTime: "13:30", title: "Jerónimos Monastery",
                kind: "activity", place: monastery, cost: MoneyAmount(amount: 1200, currency: "EUR")),
            PlanItem(
                day: day1, startTime: "14:00", endTime: "15:30", title: "Pastéis de Belém", kind: "food",
                place: pasteis),
            PlanItem(
                itemId: alfamaID, day: day2, startTime: "12:00", endTime: "14:00", title: "Alfama walk",
                kind: "activity", place: alfama),
        ]
    }
}
