/// Reorders a day's located items to shorten the walk between them.
///
/// Nearest-neighbour construction followed by 2-opt and or-opt local search, all respecting two
/// rules: the day's lodging (`start`/`end`) stays at the ends, and pinned stops (fixed times) keep
/// their relative order. The result is never longer than the input order, is deterministic, and
/// runs in milliseconds for a few hundred stops because the number of improvement passes is capped.
public struct RouteOptimizer: Sendable {
    /// Default cap on improvement passes (one 2-opt sweep plus one or-opt sweep each).
    public static let defaultMaxImprovementPasses = 50

    /// Cap on improvement passes; bounds the run time on adversarial inputs.
    public var maxImprovementPasses: Int

    public init(maxImprovementPasses: Int = RouteOptimizer.defaultMaxImprovementPasses) {
        self.maxImprovementPasses = maxImprovementPasses
    }

    /// Plans a shorter visiting order.
    ///
    /// - Parameters:
    ///   - stops: the day's located items in their current order.
    ///   - start: where the day starts (lodging), or nil for "wherever the first stop is".
    ///   - end: where the day ends (lodging, may equal `start`), or nil for an open end.
    /// - Returns: the new order, or the input order unchanged when nothing shorter was found or a
    ///   coordinate is invalid (callers validate at the edge; this only refuses to compute on NaN).
    public func optimize(stops: [RouteStop], start: Coordinate? = nil, end: Coordinate? = nil) -> RoutePlan {
        let distances = RouteDistances(stops: stops, start: start, end: end)
        let identity = Array(0..<distances.nodeCount)
        let distanceBefore = distances.length(of: identity)
        let unchanged = RoutePlan(
            order: stops.map(\.id), distanceBefore: distanceBefore, distanceAfter: distanceBefore)

        let coordinates = stops.map(\.coordinate) + [start, end].compactMap { $0 }
        guard stops.count > 1, coordinates.allSatisfy(\.isValid) else { return unchanged }

        let isPinned = [false] + stops.map(\.pinned) + [false]
        let initial = RouteNearestNeighbor.path(distances: distances, isPinned: isPinned)
        // Start local search from whichever of greedy and input order is shorter: greedy is usually
        // better, but a hand-made order that is already good should not be thrown away.
        let seed = distances.length(of: initial) < distanceBefore ? initial : identity
        var search = RouteSearch(distances: distances, isPinned: isPinned, path: seed)
        for _ in 0..<max(0, maxImprovementPasses) {
            let twoOpt = search.twoOptSweep()
            let orOpt = search.orOptSweep()
            if !twoOpt && !orOpt { break }
        }

        let distanceAfter = distances.length(of: search.path)
        // Strictly shorter or nothing: equal-length reshuffles would only confuse the user.
        guard distanceAfter < distanceBefore else { return unchanged }
        let order = search.path.dropFirst().dropLast().map { stops[$0 - 1].id }
        return RoutePlan(order: order, distanceBefore: distanceBefore, distanceAfter: distanceAfter)
    }
}
