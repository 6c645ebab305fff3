import Testing

@testable import Trips

@Suite struct FractionalIndexTests {
    @Test func betweenIsStrictlyBetween() {
        var rng = SystemRandomNumberGenerator()
        var keys = [FractionalIndex.first]
        for _ in 0..<2000 {
            let i = Int.random(in: 0...keys.count, using: &rng)
            let a = i == 0 ? nil : keys[i - 1]
            let b = i == keys.count ? nil : keys[i]
            let k = FractionalIndex.between(a, b)
            if let a { #expect(a < k, "\(a) < \(k)") }
            if let b { #expect(k < b, "\(k) < \(b)") }
            #expect(!k.hasSuffix("0"))
            keys.insert(k, at: i)
        }
        #expect(keys == keys.sorted())
        #expect(Set(keys).count == keys.count)
    }

    @Test func appendsStayShort() {
        var last = FractionalIndex.first
        for _ in 0..<2000 { last = FractionalIndex.between(last, nil) }
        #expect(last.count <= 40)
    }

    @Test func repeatedInsertsAtTheFrontAndAtOneSpot() {
        var first = FractionalIndex.first
        for _ in 0..<500 {
            let k = FractionalIndex.between(nil, first)
            #expect(k < first)
            first = k
        }
        var a = "V"
        let b = "W"
        for _ in 0..<500 {
            let k = FractionalIndex.between(a, b)
            #expect(a < k && k < b)
            a = k
        }
        #expect(a.count < FractionalIndex.maximumLength)
    }
}

@Suite struct CalendarDateTests {
    @Test func parsesStrictly() {
        #expect(CalendarDate("2026-02-28")?.description == "2026-02-28")
        #expect(CalendarDate("2024-02-29") != nil)
        for bad in [
            "2026-02-29", "2026-13-01", "2026-1-01", "+026-01-01", "2026-01-01T00:00", "0000-01-01", "２０２６-01-01",
        ] {
            #expect(CalendarDate(bad) == nil, "\(bad)")
        }
    }

    @Test func roundTripsAcrossCenturies() {
        var d = CalendarDate("1899-12-25")!
        for _ in 0..<100_000 {
            let next = d.adding(days: 1)
            #expect(CalendarDate(next.description) == next)
            #expect(next - d == 1)
            d = next
        }
        #expect(CalendarDate("1970-01-01")?.daysSinceEpoch == 0)
    }

    @Test func localTimes() {
        #expect(LocalTime("09:30")?.description == "09:30")
        #expect(LocalTime("23:59:59")?.seconds == 86399)
        for bad in ["24:00", "9:30", "09:60", "09:30:60", "0930"] { #expect(LocalTime(bad) == nil, "\(bad)") }
    }
}
