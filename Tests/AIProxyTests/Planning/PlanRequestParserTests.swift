import HTTP
import Kernel
import Testing

@testable import AIProxy

/// The generate body is checked field by field: one 400 names every bad field.
@Suite struct PlanRequestParserTests {
    @Test func everyBadFieldIsNamed() throws {
        let body = try JSONValue(
            parsing: """
                {"pace": "frantic", "interests": [1, "art"], "budget": {"amount": -5, "currency": "USD"},
                 "must_include": ["01900000-0000-7000-8000-0000000000ff", ""], "avoid": "museums",
                 "days": ["2027-05-01", "2027-06-01", "soon", "2027-05-01"], "colour": "blue"}
                """)
        do {
            _ = try PlanRequestParser.parse(body, trip: PlanFixtures.trip)
            Issue.record("accepted")
        } catch let error as HTTPError {
            #expect(error.status == .badRequest)
            #expect(
                Set(error.errors.map(\.field)) == [
                    "colour", "interests[0]", "avoid", "must_include[0]", "must_include[1]", "pace", "budget.amount",
                    "budget.currency", "days[1]", "days[2]", "days[3]",
                ])
        }
    }

    @Test func aGoodBodyIsRead() throws {
        let body = try JSONValue(
            parsing: """
                {"pace": "relaxed", "interests": ["art"], "budget": {"amount": 5000, "currency": "EUR"},
                 "must_include": ["\(PlanFixtures.towerID)", "Sintra"], "avoid": ["crowds"], "days": ["2027-05-02", "2027-05-01"]}
                """)
        let request = try PlanRequestParser.parse(body, trip: PlanFixtures.trip)
        #expect(request.pace == .relaxed)
        #expect(request.budget?.amount == 5000)
        #expect(request.days?.map(\.description) == ["2027-05-01", "2027-05-02"])
        #expect(request.mustInclude.count == 2)
        #expect(throws: HTTPError.self) { try PlanRequestParser.parse([:], trip: PlanFixtures.trip) }
    }
}
