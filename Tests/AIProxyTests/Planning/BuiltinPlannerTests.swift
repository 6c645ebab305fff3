import Foundation
import Kernel
import Testing
import Trips

@testable import AIProxy

/// The built-in planner is deterministic and its plans pass the validator on varied trips.
@Suite struct BuiltinPlannerTests {
    /// A reproducible generator (a 64-bit LCG): varied trips without randomness between runs.
    struct Numbers {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    /// A trip of `days` days whose `ideaCount` ideas sit in `clusters` neighbourhoods a few km apart,
    /// some with costs, some food, with `scheduledCount` items already on days.
    static func trip(
        seed: UInt64, days: Int, ideaCount: Int, clusters: Int, scheduledCount: Int = 0
    ) -> PlanningTrip {
        var n = Numbers(state: seed)
        let start = CalendarDate(year: 2027, month: 6, day: 1) ?? CalendarDate(daysSinceEpoch: 0)
        let centres = (0..<clusters).map { _ in (38.70 + n.next() * 0.06, -9.20 + n.next() * 0.10) }
        var ideas: [TripItem] = []
        for i in 0..<ideaCount {
            let c = centres[i % clusters]
            let place = PlanPlace(
                name: "Place \(i)", lat: c.0 + (n.next() - 0.5) * 0.01, lon: c.1 + (n.next() - 0.5) * 0.01)
            let cost = i % 3 == 0 ? MoneyAmount(amount: Int64(500 + i * 100), currency: "EUR") : nil
            ideas.append(
                TripItem(
                    id: String(format: "01900000-0000-7000-8000-%012d", 1000 + i), kind: i % 4 == 1 ? .food : .activity,
                    title: i % 5 == 2 ? "Museum \(i)" : "Sight \(i)", place: place, cost: cost,
                    notes: i % 7 == 3 ? "crowded tourist trap" : nil))
        }
        ideas.append(TripItem(id: "01900000-0000-7000-8000-000000009998", kind: .lodging, title: "Hotel"))
        ideas.append(TripItem(id: "01900000-0000-7000-8000-000000009999", kind: .activity, title: "Somewhere unknown"))
        var scheduled: [TripItem] = []
        for i in 0..<scheduledCount {
            let c = centres[i % clusters]
            scheduled.append(
                TripItem(
                    id: String(format: "01900000-0000-7000-8000-%012d", 5000 + i), kind: .activity,
                    title: "Booked \(i)", day: start.adding(days: i % days), start: (11 + 3 * (i % 3)) * 60,
                    end: (12 + 3 * (i % 3)) * 60, place: PlanPlace(name: "Booked \(i)", lat: c.0, lon: c.1)))
        }
        scheduled.append(
            TripItem(
                id: "01900000-0000-7000-8000-000000009000", kind: .lodging, title: "Hotel stay", day: start,
                start: 15 * 60))
        return PlanningTrip(
            id: "trip-\(seed)", startDate: start, endDate: start.adding(days: days - 1), timezone: "Europe/Lisbon",
            currency: "EUR",
            scheduled: scheduled, ideas: ideas)
    }

    static let scenarios: [(String, PlanningTrip, PlanRequest)] = {
        let a = trip(seed: 1, days: 3, ideaCount: 9, clusters: 3)
        let b = trip(seed: 2, days: 5, ideaCount: 60, clusters: 4, scheduledCount: 6)
        let c = trip(seed: 3, days: 4, ideaCount: 20, clusters: 2, scheduledCount: 3)
        let d = trip(seed: 4, days: 2, ideaCount: 30, clusters: 5)
        let e = trip(seed: 5, days: 6, ideaCount: 14, clusters: 3, scheduledCount: 8)
        return [
            ("clusters, normal pace, a day trip", a, PlanRequest(pace: .normal, mustInclude: ["Sintra"])),
            (
                "many ideas, packed, must-includes by id and name", b,
                PlanRequest(
                    interests: ["museum"], pace: .packed, mustInclude: [b.ideas[7].id, "Sight 40", "Miradouro"])
            ),
            (
                "avoid and a tight budget", c,
                PlanRequest(pace: .normal, budget: MoneyAmount(amount: 2500, currency: "EUR"), avoid: ["tourist trap"])
            ),
            ("relaxed, more ideas than room", d, PlanRequest(pace: .relaxed)),
            (
                "existing items and requested days", e,
                PlanRequest(pace: .normal, days: [e.startDate.adding(days: 1), e.startDate.adding(days: 3)])
            ),
        ]
    }()

    static let sintra = PlanPlace(name: "Sintra", lat: 38.8029, lon: -9.3817)
    static let miradouro = PlanPlace(name: "Miradouro", lat: 38.72, lon: -9.15)

    func plan(_ trip: PlanningTrip, _ request: PlanRequest) -> BuiltinPlan {
        BuiltinPlanner(
            trip: trip, request: request, resolvedPlaces: ["Sintra": Self.sintra, "Miradouro": Self.miradouro]
        ).plan()
    }

    @Test(arguments: scenarios.indices)
    func passesTheValidator(_ index: Int) {
        let (name, trip, request) = Self.scenarios[index]
        let result = plan(trip, request)
        #expect(!result.items.isEmpty, "\(name)")
        let checks = PlanValidator(trip: trip, request: request).validate(result.items)
        #expect(checks.allPassed, "\(name): \(checks.violationLines)")
    }

    @Test(arguments: scenarios.indices)
    func isDeterministic(_ index: Int) {
        let (_, trip, request) = Self.scenarios[index]
        let first = plan(trip, request)
        #expect(first == plan(trip, request))
        // Ideas handed over in another order make the same plan: ties are broken by id.
        var shuffled = trip
        shuffled.ideas.reverse()
        shuffled.ideas.sort { $0.id < $1.id }
        #expect(first == plan(shuffled, request))
    }

    @Test func mustIncludesAvoidsAndBudgetAreHonoured() {
        let (_, b, packed) = Self.scenarios[1]
        let result = plan(b, packed)
        #expect(result.items.contains { $0.itemId == b.ideas[7].id })
        #expect(result.items.contains { $0.title == "Sight 40" })
        #expect(result.items.contains { $0.title == "Miradouro" && $0.itemId == nil && $0.place == Self.miradouro })
        let (_, a, dayTrip) = Self.scenarios[0]
        let withSintra = plan(a, dayTrip)
        let sintraDay = withSintra.items.first { $0.title == "Sintra" }?.day
        #expect(sintraDay != nil)
        #expect(withSintra.items.filter { $0.day == sintraDay }.count == 1, "20 km from the rest: a day of its own")
        #expect(!result.items.contains { $0.itemId == "01900000-0000-7000-8000-000000009998" }, "no lodging")
        #expect(result.notes.contains { $0.contains("Somewhere unknown") && $0.contains("coordinates") })

        let (_, c, tight) = Self.scenarios[2]
        let budgeted = plan(c, tight)
        let total = budgeted.items.compactMap(\.cost?.amount).reduce(0, +)
        #expect(total <= 2500)
        #expect(budgeted.notes.contains { $0.contains("budget") })
        #expect(!budgeted.items.contains { ($0.notes ?? "").contains("tourist trap") })
        #expect(budgeted.notes.contains { $0.contains("tourist trap") })
    }

    @Test func fillsOnlyTheRequestedDaysAroundExistingItems() {
        let (_, e, request) = Self.scenarios[4]
        let result = plan(e, request)
        let allowed = Set((request.days ?? []).map(\.description))
        #expect(Set(result.items.map(\.day)).isSubset(of: allowed))
        #expect(Set(result.items.map(\.day)) == allowed, "both days are used")
    }

    @Test func groupsNeighboursOnTheSameDay() {
        // Two neighbourhoods 8 km apart, two days, relaxed: each day stays in one neighbourhood.
        let start = CalendarDate(year: 2027, month: 6, day: 1) ?? CalendarDate(daysSinceEpoch: 0)
        var ideas: [TripItem] = []
        for i in 0..<6 {
            let west = i % 2 == 0
            ideas.append(
                TripItem(
                    id: String(format: "01900000-0000-7000-8000-%012d", i), kind: .activity, title: "Idea \(i)",
                    place: PlanPlace(
                        name: "P\(i)", lat: 38.70 + Double(i) * 0.001, lon: west ? -9.21 : -9.12 + Double(i) * 0.001)))
        }
        let trip = PlanningTrip(
            id: "t", startDate: start, endDate: start.adding(days: 1), currency: "EUR", ideas: ideas)
        let result = plan(trip, PlanRequest(pace: .relaxed))
        #expect(result.items.count == 6)
        for day in Set(result.items.map(\.day)) {
            let lons = result.items.filter { $0.day == day }.compactMap(\.place?.lon)
            #expect(lons.allSatisfy { $0 < -9.2 } || lons.allSatisfy { $0 > -9.2 }, "\(day): \(lons)")
        }
    }
}
