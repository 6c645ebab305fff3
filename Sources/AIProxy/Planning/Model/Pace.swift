/// How full a planned day may be. The limits are hard constraints: the validator refuses a plan that
/// exceeds them and the built-in planner never produces one that does. Items count every scheduled
/// activity, meal and note of the day (existing ones included); walking is the straight-line path
/// between the day's located items in time order.
enum Pace: String, Codable, Sendable, CaseIterable {
    case relaxed, normal, packed

    static let relaxedItemsPerDay = 3
    static let relaxedWalkingMeters = 5_000.0
    static let normalItemsPerDay = 5
    static let normalWalkingMeters = 10_000.0
    static let packedItemsPerDay = 8
    static let packedWalkingMeters = 15_000.0

    var maxItemsPerDay: Int {
        switch self {
        case .relaxed: Self.relaxedItemsPerDay
        case .normal: Self.normalItemsPerDay
        case .packed: Self.packedItemsPerDay
        }
    }

    var maxWalkingMeters: Double {
        switch self {
        case .relaxed: Self.relaxedWalkingMeters
        case .normal: Self.normalWalkingMeters
        case .packed: Self.packedWalkingMeters
        }
    }
}
