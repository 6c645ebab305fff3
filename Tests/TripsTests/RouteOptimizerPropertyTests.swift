import Testing

@testable import Trips

/// Invariants checked over many seeded random days.
@Suite struct RouteOptimizerPropertyTests {
    struct Instance {
        var stops: [RouteStop]
        var start: Coordinate?
        var end: Coordinate?
    }

    /// A random day in a ~10 km box: some stops pinned, some sharing a coordinate, random anchors.
    static func randomInstance(count: Int, using generator: inout SplitMix64) -> Instance {
        func point() -> Coordinate {
            Coordinate(
                latitude: 38.70 + Double.random(in: 0..<0.1, using: &generator),
                longitude: -9.20 + Double.random(in: 0..<0.1, using: &generator))
        }
        let pinnedShares: [Double] = [0, 0.2, 0.5, 1]
        let pinnedShare = pinnedShares.randomElement(using: &generator) ?? 0
        var stops: [RouteStop] = []
        for index in 0..<count {
            let reuse = !stops.isEmpty && Double.random(in: 0..<1, using: &generator) < 0.1
            let coordinate = reuse ? (stops.randomElement(using: &generator)?.coordinate ?? point()) : point()
            let pinned = Double.random(in: 0..<1, using: &generator) < pinnedShare
            stops.append(RouteStop(id: "s\(index)", coordinate: coordinate, pinned: pinned))
        }
        let lodging = point()
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: return Instance(stops: stops, start: nil, end: nil)
        case 1: return Instance(stops: stops, start: lodging, end: nil)
        case 2: return Instance(stops: stops, start: nil, end: lodging)
        case 3: return Instance(stops: stops, start: lodging, end: lodging)
        default: return Instance(stops: stops, start: lodging, end: point())
        }
    }

    /// Length of `ids` walked from `start` to `end`, computed independently of the optimizer.
    static func length(of ids: [String], in instance: Instance) -> Double {
        let byID = Dictionary(uniqueKeysWithValues: instance.stops.map { ($0.id, $0.coordinate) })
        let points = [instance.start].compactMap { $0 } + ids.compactMap { byID[$0] } + [instance.end].compactMap { $0 }
        return Geodesy.pathLength(points)
    }

    static func check(_ instance: Instance, label: String) {
        let plan = RouteOptimizer().optimize(stops: instance.stops, start: instance.start, end: instance.end)
        let inputIDs = instance.stops.map(\.id)

        #expect(plan.order.sorted() == inputIDs.sorted(), "not a permutation: \(label)")
        #expect(plan.distanceAfter <= plan.distanceBefore, "longer: \(label)")
        let tolerance = 1e-6 * max(1, plan.distanceBefore)
        #expect(abs(plan.distanceBefore - length(of: inputIDs, in: instance)) <= tolerance, "before: \(label)")
        #expect(abs(plan.distanceAfter - length(of: plan.order, in: instance)) <= tolerance, "after: \(label)")
        if plan.distanceAfter == plan.distanceBefore {
            #expect(plan.order == inputIDs, "no gain but reordered: \(label)")
        }

        let pinnedIDs = Set(instance.stops.filter(\.pinned).map(\.id))
        #expect(plan.order.filter(pinnedIDs.contains) == inputIDs.filter(pinnedIDs.contains), "pinned order: \(label)")

        let again = RouteOptimizer().optimize(stops: instance.stops, start: instance.start, end: instance.end)
        #expect(again == plan, "not deterministic: \(label)")
    }

    @Test func smallRandomDays() {
        var generator = SplitMix64(seed: 0x5EED)
        for round in 0..<600 {
            let instance = Self.randomInstance(count: Int.random(in: 0...14, using: &generator), using: &generator)
            Self.check(instance, label: "round \(round)")
        }
    }

    @Test func mediumRandomDays() {
        var generator = SplitMix64(seed: 42)
        for round in 0..<40 {
            let instance = Self.randomInstance(count: Int.random(in: 15...60, using: &generator), using: &generator)
            Self.check(instance, label: "round \(round)")
        }
    }

    @Test func threeHundredStops() {
        var generator = SplitMix64(seed: 300)
        let instance = Self.randomInstance(count: 300, using: &generator)
        Self.check(instance, label: "n = 300")
    }

    /// Not a guarantee of 2-opt/or-opt, but a regression guard on quality: on tiny unconstrained days
    /// the result should almost always be the brute-force optimum.
    @Test func tinyDaysAreUsuallyOptimal() {
        var generator = SplitMix64(seed: 2024)
        var optimal = 0
        let rounds = 200
        for _ in 0..<rounds {
            var instance = Self.randomInstance(count: Int.random(in: 2...7, using: &generator), using: &generator)
            instance.stops = instance.stops.map { RouteStop(id: $0.id, coordinate: $0.coordinate) }
            let plan = RouteOptimizer().optimize(stops: instance.stops, start: instance.start, end: instance.end)
            let best = Self.bruteForceOptimum(instance)
            #expect(plan.distanceAfter >= best - 1e-6)
            if plan.distanceAfter <= best + 1e-6 { optimal += 1 }
        }
        #expect(optimal >= rounds * 95 / 100, "optimal in \(optimal) of \(rounds)")
    }

    static func bruteForceOptimum(_ instance: Instance) -> Double {
        var best = Double.infinity
        func permute(_ prefix: [String], _ rest: [String]) {
            if rest.isEmpty {
                best = min(best, length(of: prefix, in: instance))
                return
            }
            for (index, id) in rest.enumerated() {
                var remaining = rest
                remaining.remove(at: index)
                permute(prefix + [id], remaining)
            }
        }
        permute([], instance.stops.map(\.id))
        return best
    }
}
