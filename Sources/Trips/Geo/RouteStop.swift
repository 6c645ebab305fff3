/// One located item of a day, as handed to `RouteOptimizer`.
public struct RouteStop: Sendable, Hashable, Codable {
    /// The item's id; echoed back in `RoutePlan.order`.
    public var id: String
    /// Where the item takes place.
    public var coordinate: Coordinate
    /// The item has a fixed time: pinned stops keep their relative order.
    public var pinned: Bool

    public init(id: String, coordinate: Coordinate, pinned: Bool = false) {
        self.id = id
        self.coordinate = coordinate
        self.pinned = pinned
    }
}
