import Kernel
import Testing
import Trips

@testable import AIProxy

/// The validator catches every kind of violation: a valid plan passes every check, and each injected
/// violation fails exactly the check that guards against it.
@Suite struct PlanValidatorTests {
    typealias F = PlanFixtures

    func failed(_ plan: [PlanItem], _ request: PlanRequest = F.request, trip: PlanningTrip = F.trip) -> [PlanCheckName]
    {
        PlanValidator(trip: trip, request: request).validate(plan).failed.map(\.name)
    }

    @Test func theFixturePlanPassesEveryCheck() {
        let checks = PlanValidator(trip: F.trip, request: F.request).validate(F.plan)
        #expect(checks.map(\.name) == PlanCheckName.allCases)
        #expect(checks.allPassed, "\(checks.violationLines)")
    }

    @Test func dayOutsideTheTrip() {
        var plan = F.plan
        plan[3].day = "2027-05-09"
        #expect(failed(plan) == [.tripDays])
        plan[3].day = "May 2nd"
        #expect(failed(plan) == [.tripDays])
    }

    @Test func dayNotAmongTheRequestedDays() {
        var request = F.request
        request.days = [F.date(F.day1), F.date(F.day2)]
        #expect(failed(F.plan, request) == [])
        var plan = F.plan
        plan[3].day = F.day3
        #expect(failed(plan, request) == [.requestedDays])
    }

    @Test func overlapWithAnotherPlannedItem() {
        var plan = F.plan
        plan[1].startTime = "10:30"
        plan[1].endTime = "12:30"
        #expect(failed(plan) == [.noOverlap])
    }

    @Test func overlapWithAnExistingScheduledItem() {
        var plan = F.plan
        plan[3].startTime = "10:30"
        plan[3].endTime = "12:30"
        #expect(failed(plan) == [.noOverlap])
        let violation = PlanValidator(trip: F.trip, request: F.request).validate(plan).failed.first?.violations.first
        #expect(violation?.item == 3)
        #expect(violation?.message.contains("Castle visit") == true)
    }

    @Test func beforeOpeningAndAfterClosing() {
        var early = F.plan
        early[0].startTime = "07:00"
        early[0].endTime = "08:30"
        #expect(failed(early) == [.openingHours])
        var late = F.plan
        late[2].startTime = "21:00"
        late[2].endTime = "22:30"
        #expect(failed(late) == [.openingHours])
        var closed = F.plan
        closed[1].openingHours = OpeningHours(opens: "12:00", closes: "17:00")
        #expect(failed(closed) == [.openingHours])
    }

    @Test func tooManyItemsForThePace() {
        var plan = F.plan
        for (n, start) in ["16:00", "17:30", "19:00"].enumerated() {
            let end = PlanningDay.text((PlanningDay.minutes(start) ?? 0) + 60)
            plan.append(
                PlanItem(
                    day: F.day1, startTime: start, endTime: end, title: "Viewpoint \(n)", kind: "note", place: F.pasteis
                ))
        }
        #expect(failed(plan) == [.paceItems])
        var relaxed = F.request
        relaxed.pace = .relaxed
        #expect(failed(F.plan, relaxed) == [], "three items fit a relaxed day")
    }

    @Test func tooMuchWalking() {
        var plan = F.plan
        plan[2].place = F.place("Pastéis de Belém", 38.80, -9.38)
        #expect(failed(plan) == [.paceWalking])
    }

    @Test func overBudget() {
        var request = F.request
        request.budget = MoneyAmount(amount: 2000, currency: "EUR")
        #expect(failed(F.plan, request) == [.budget])
        var plan = F.plan
        plan[2].cost = MoneyAmount(amount: 500, currency: "USD")
        #expect(failed(plan) == [.budget], "a cost in another currency cannot count against the budget")
    }

    @Test func missingMustInclude() {
        var request = F.request
        request.mustInclude.append("Oceanarium")
        #expect(failed(F.plan, request) == [.mustInclude])
        var byID = F.request
        byID.mustInclude = [F.towerID.uppercased()]
        #expect(failed(F.plan, byID) == [])
        #expect(failed(Array(F.plan.dropFirst()), byID).contains(.mustInclude))
    }

    @Test func avoidedItemPresent() {
        var request = F.request
        request.avoid = ["pasteis"]
        #expect(failed(F.plan, request) == [.avoid], "case and accents do not hide a match")
    }

    @Test func placeWithoutCoordinates() {
        var plan = F.plan
        plan[2].place?.lat = nil
        #expect(failed(plan) == [.geocoded])
        plan[2].place = nil
        #expect(failed(plan) == [.geocoded])
    }

    @Test func endBeforeStart() {
        var plan = F.plan
        plan[2].endTime = "13:00"
        #expect(failed(plan) == [.times])
        plan[2].endTime = "3pm"
        #expect(failed(plan) == [.times])
    }

    @Test func unknownIdeasAndBadFields() {
        var plan = F.plan
        plan[3].itemId = "01900000-0000-7000-8000-0000000000ff"
        #expect(failed(plan) == [.itemsKnown])
        var twice = F.plan
        twice[3].itemId = F.towerID
        #expect(failed(twice) == [.itemsKnown])
        var kind = F.plan
        kind[2].kind = "lodging"
        #expect(failed(kind) == [.fields])
    }
}
