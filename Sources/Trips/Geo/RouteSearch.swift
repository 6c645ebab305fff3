/// Mutable state of one local search: the current node path and what the move checks need.
///
/// The path always starts with node 0 and ends with node `distances.nodeCount - 1` (the anchors),
/// which no move touches. Moves keep pinned stops in their relative order: a reversed segment holds
/// at most one pinned stop, and a moved segment that holds a pinned stop never jumps over another.
struct RouteSearch {
    /// A move must save more than this many meters; guards against cycling on rounding noise.
    static let minimumGainMeters = 1e-6

    let distances: RouteDistances
    /// Indexed by node; anchors are never pinned.
    let isPinned: [Bool]
    private(set) var path: [Int]
    /// `pinnedPrefix[k]` = pinned nodes in `path[0..<k]`; rebuilt after every applied move.
    private(set) var pinnedPrefix: [Int]

    init(distances: RouteDistances, isPinned: [Bool], path: [Int]) {
        self.distances = distances
        self.isPinned = isPinned
        self.path = path
        self.pinnedPrefix = []
        rebuildPinnedPrefix()
    }

    /// Number of pinned stops in `path[range]`.
    @inline(__always)
    func pinnedCount(_ range: ClosedRange<Int>) -> Int {
        pinnedPrefix[range.upperBound + 1] - pinnedPrefix[range.lowerBound]
    }

    mutating func replacePath(_ newPath: [Int]) {
        path = newPath
        rebuildPinnedPrefix()
    }

    mutating func reverseSegment(_ range: ClosedRange<Int>) {
        path[range].reverse()
        rebuildPinnedPrefix()
    }

    private mutating func rebuildPinnedPrefix() {
        var prefix = [Int](repeating: 0, count: path.count + 1)
        for (index, node) in path.enumerated() {
            prefix[index + 1] = prefix[index] + (isPinned[node] ? 1 : 0)
        }
        pinnedPrefix = prefix
    }
}
