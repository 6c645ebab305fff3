import Testing

@testable import Trips

@Suite("Split rules")
struct SplitRuleTests {
    @Test("10.00 in thirds is 3.34 / 3.33 / 3.33, first listed gets the extra cent")
    func thirds() throws {
        #expect(
            try pairs(SplitRule.equal(among: ["ana", "ben", "cleo"]).allocate(1000)) == [
                "ana=334", "ben=333", "cleo=333",
            ])
        #expect(
            try pairs(SplitRule.equal(among: ["cleo", "ben", "ana"]).allocate(1000)) == [
                "cleo=334", "ben=333", "ana=333",
            ])
        #expect(try pairs(SplitRule.equal(among: ["a", "b", "c"]).allocate(1001)) == ["a=334", "b=334", "c=333"])
        #expect(try pairs(SplitRule.equal(among: ["a", "b", "c"]).allocate(2)) == ["a=1", "b=1", "c=0"])
        #expect(try pairs(SplitRule.equal(among: ["solo"]).allocate(999)) == ["solo=999"])
    }

    @Test("shares 1:2:3 of odd totals go to the largest remainders")
    func sharesOneTwoThree() throws {
        let rule = SplitRule.shares([("a", 1), ("b", 2), ("c", 3)])
        // 1001 / 6 = 166.83…, 333.67, 500.5 → floors 166, 333, 500 (999); remainders 5, 4, 3 (/6).
        #expect(try pairs(rule.allocate(1001)) == ["a=167", "b=334", "c=500"])
        // 1003: quotas 167.17, 334.33, 501.5 → floors 167, 334, 501 (1002); remainders 1, 2, 3.
        #expect(try pairs(rule.allocate(1003)) == ["a=167", "b=334", "c=502"])
        // 7: quotas 1.17, 2.33, 3.5 → floors 1, 2, 3; remainders 1, 2, 3 → c.
        #expect(try pairs(rule.allocate(7)) == ["a=1", "b=2", "c=4"])
        // 5: quotas 0.83, 1.67, 2.5 → floors 0, 1, 2; remainders 5, 4, 3 → a, b.
        #expect(try pairs(rule.allocate(5)) == ["a=1", "b=2", "c=2"])
    }

    @Test("refunds mirror the positive split member by member")
    func refunds() throws {
        #expect(try pairs(SplitRule.equal(among: ["a", "b", "c"]).allocate(-1000)) == ["a=-334", "b=-333", "c=-333"])
        #expect(
            try pairs(SplitRule.shares([("a", 1), ("b", 2), ("c", 3)]).allocate(-1001)) == [
                "a=-167", "b=-334", "c=-500",
            ])
        #expect(try pairs(SplitRule.exact([("a", -700), ("b", -300)]).allocate(-1000)) == ["a=-700", "b=-300"])
        #expect(try pairs(SplitRule.equal(among: ["a", "b"]).allocate(0)) == ["a=0", "b=0"])
    }

    @Test("the whole Int64 range is allocated without trapping")
    func extremes() throws {
        let rule = SplitRule.shares([("a", SplitRule.maxWeight), ("b", 1), ("c", SplitRule.maxWeight - 1)])
        for total in [Int64.max, .min, .max - 1, .min + 1] {
            let parts = try rule.allocate(total)
            #expect(parts.reduce(Int64(0)) { $0 &+ $1.amount } == total)
        }
        #expect(try pairs(SplitRule.equal(among: ["a"]).allocate(.min)) == ["a=\(Int64.min)"])
        #expect(
            try pairs(SplitRule.equal(among: ["a", "b"]).allocate(.min)) == [
                "a=\(Int64.min / 2)", "b=\(Int64.min / 2)",
            ])
    }

    @Test("exact parts must add up to the total")
    func exactMismatch() throws {
        #expect(try pairs(SplitRule.exact([("a", 700), ("b", 300)]).allocate(1000)) == ["a=700", "b=300"])
        #expect(try pairs(SplitRule.exact([("a", 1000), ("b", 0)]).allocate(1000)) == ["a=1000", "b=0"])
        #expect(
            throws: MoneyError.invalid(
                field: "split.among", message: "exact amounts add up to 900 but the expense amount is 1000")
        ) {
            try SplitRule.exact([("a", 600), ("b", 300)]).allocate(1000)
        }
        #expect(throws: MoneyError.invalid(field: "split.among[1].amount", message: "must not be negative")) {
            try SplitRule.exact([("a", 1200), ("b", -200)]).allocate(1000)
        }
        #expect(
            throws: MoneyError.invalid(field: "split.among[0].amount", message: "must not be positive for a refund")
        ) {
            try SplitRule.exact([("a", 200), ("b", -1200)]).allocate(-1000)
        }
        #expect(
            throws: MoneyError.invalid(field: "split.among", message: "exact amounts add up to more than the total")
        ) {
            try SplitRule.exact([("a", .max), ("b", .max), ("c", 2)]).allocate(0)
        }
    }

    @Test("members must be present, non-empty and unique; weights in range")
    func memberValidation() {
        let cases: [(SplitRule, MoneyError)] = [
            (.equal(among: []), .invalid(field: "split.among", message: "must name at least one member")),
            (.shares([]), .invalid(field: "split.among", message: "must name at least one member")),
            (.exact([]), .invalid(field: "split.among", message: "must name at least one member")),
            (.equal(among: ["a", "", "b"]), .invalid(field: "split.among[1]", message: "member must not be empty")),
            (.equal(among: ["a", "b", "a"]), .invalid(field: "split.among[2]", message: "member 'a' is listed twice")),
            (
                .exact([("a", 500), ("a", 500)]),
                .invalid(field: "split.among[1]", message: "member 'a' is listed twice")
            ),
            (
                .shares([("a", 1), ("b", 0)]),
                .invalid(field: "split.among[1].weight", message: "must be a whole number from 1 to 1000000")
            ),
            (
                .shares([("a", -3)]),
                .invalid(field: "split.among[0].weight", message: "must be a whole number from 1 to 1000000")
            ),
            (
                .shares([("a", 1), ("b", SplitRule.maxWeight + 1)]),
                .invalid(field: "split.among[1].weight", message: "must be a whole number from 1 to 1000000")
            ),
            (
                .equal(among: (0...SplitRule.maxMembers).map { "m\($0)" }),
                .invalid(field: "split.among", message: "must name at most 500 members")
            ),
        ]
        for (rule, error) in cases {
            #expect(throws: error) { try rule.allocate(1000) }
        }
    }
}
