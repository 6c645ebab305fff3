/// The result of `RouteOptimizer.optimize`: the new visiting order and what it saves.
public struct RoutePlan: Sendable, Hashable, Codable {
    /// Stop ids in visiting order; a permutation of the input ids.
    public var order: [String]
    /// Length of the input order in meters, including the legs from `start` and to `end` when given.
    public var distanceBefore: Double
    /// Length of `order` in meters, measured the same way; never more than `distanceBefore`.
    public var distanceAfter: Double

    public init(order: [String], distanceBefore: Double, distanceAfter: Double) {
        self.order = order
        self.distanceBefore = distanceBefore
        self.distanceAfter = distanceAfter
    }
}
