import Testing

@testable import Trips

/// Hand-made cases whose best order is obvious.
@Suite struct RouteOptimizerTests {
    /// Stops along the equator, 0.01° (≈ 1.1 km) apart, named by their position.
    private func lineStop(_ position: Int, pinned: Bool = false) -> RouteStop {
        RouteStop(
            id: "p\(position)", coordinate: Coordinate(latitude: 0, longitude: Double(position) * 0.01),
            pinned: pinned)
    }

    @Test func emptyAndSingleStopAreReturnedAsIs() {
        let optimizer = RouteOptimizer()
        let lodging = Coordinate(latitude: 0, longitude: 0)
        let empty = optimizer.optimize(stops: [], start: lodging, end: Coordinate(latitude: 0, longitude: 0.01))
        #expect(empty.order.isEmpty)
        #expect(empty.distanceBefore == empty.distanceAfter)
        #expect(abs(empty.distanceBefore - Geodesy.meanEarthRadiusMeters * .pi / 180 * 0.01) < 1e-6)

        let single = optimizer.optimize(stops: [lineStop(3)], start: lodging, end: lodging)
        #expect(single.order == ["p3"])
        #expect(abs(single.distanceAfter - 2 * Geodesy.distanceMeters(lodging, lineStop(3).coordinate)) < 1e-6)
    }

    @Test func twoStopsAreSwappedWhenThatIsShorter() {
        let start = Coordinate(latitude: 0, longitude: 0)
        let plan = RouteOptimizer().optimize(stops: [lineStop(2), lineStop(1)], start: start)
        #expect(plan.order == ["p1", "p2"])
        #expect(plan.distanceAfter < plan.distanceBefore)
    }

    @Test func shuffledPointsOnALineComeOutSorted() {
        var generator = SplitMix64(seed: 7)
        for count in [3, 5, 8, 13, 30] {
            let stops = (1...count).map { lineStop($0) }.shuffled(using: &generator)
            let west = Coordinate(latitude: 0, longitude: 0)
            let east = Coordinate(latitude: 0, longitude: Double(count + 1) * 0.01)
            let plan = RouteOptimizer().optimize(stops: stops, start: west, end: east)
            #expect(plan.order == (1...count).map { "p\($0)" }, "count \(count)")

            // Open ends: either direction is optimal.
            let open = RouteOptimizer().optimize(stops: stops)
            let sorted = (1...count).map { "p\($0)" }
            #expect(open.order == sorted || open.order == sorted.reversed(), "count \(count)")
        }
    }

    @Test func anchorsDecideTheDirection() {
        let stops = [lineStop(2), lineStop(4), lineStop(1), lineStop(3)]
        let east = Coordinate(latitude: 0, longitude: 0.05)
        let fromEast = RouteOptimizer().optimize(stops: stops, start: east)
        #expect(fromEast.order == ["p4", "p3", "p2", "p1"])
        let toEast = RouteOptimizer().optimize(stops: stops, end: east)
        #expect(toEast.order == ["p1", "p2", "p3", "p4"])
    }

    @Test func pinnedStopsKeepTheirOrderEvenWhenThatIsLonger() {
        // Pinned p5 before pinned p1: the walk must go east first, then back west.
        let stops = [lineStop(5, pinned: true), lineStop(2), lineStop(1, pinned: true), lineStop(4), lineStop(3)]
        let start = Coordinate(latitude: 0, longitude: 0)
        let plan = RouteOptimizer().optimize(stops: stops, start: start, end: start)
        let pinnedOrder = plan.order.filter { $0 == "p5" || $0 == "p1" }
        #expect(pinnedOrder == ["p5", "p1"])
        // Out to p5 and back to the start is the best possible under the constraint.
        let best = 2 * Geodesy.distanceMeters(start, lineStop(5).coordinate)
        #expect(abs(plan.distanceAfter - best) < 1e-6)
    }

    @Test func allPinnedKeepsTheInputOrder() {
        let stops = [lineStop(3, pinned: true), lineStop(1, pinned: true), lineStop(2, pinned: true)]
        let plan = RouteOptimizer().optimize(stops: stops)
        #expect(plan.order == ["p3", "p1", "p2"])
        #expect(plan.distanceAfter == plan.distanceBefore)
    }

    @Test func anAlreadyOptimalOrderIsReturnedExactly() {
        let stops = (1...6).map { lineStop($0) }
        let plan = RouteOptimizer().optimize(stops: stops, start: Coordinate(latitude: 0, longitude: 0))
        #expect(plan.order == stops.map(\.id))
        #expect(plan.distanceAfter == plan.distanceBefore)
    }

    @Test func duplicateCoordinatesStayTogether() {
        let here = Coordinate(latitude: 38.71, longitude: -9.14)
        let there = Coordinate(latitude: 38.72, longitude: -9.13)
        let stops = [
            RouteStop(id: "a", coordinate: here), RouteStop(id: "b", coordinate: there),
            RouteStop(id: "c", coordinate: here), RouteStop(id: "d", coordinate: there),
        ]
        let plan = RouteOptimizer().optimize(stops: stops, start: here)
        #expect(plan.order == ["a", "c", "b", "d"])
        #expect(abs(plan.distanceAfter - Geodesy.distanceMeters(here, there)) < 1e-6)
    }

    @Test func invalidCoordinatesLeaveTheOrderAlone() {
        let stops = [
            lineStop(2), RouteStop(id: "bad", coordinate: Coordinate(latitude: .nan, longitude: 0)), lineStop(1),
        ]
        let plan = RouteOptimizer().optimize(stops: stops)
        #expect(plan.order == ["p2", "bad", "p1"])
    }
}
