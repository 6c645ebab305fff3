extension RouteSearch {
    /// One first-improvement 2-opt sweep: reverse `path[i...k]` whenever that shortens the path.
    ///
    /// A reversed segment may hold at most one pinned stop, otherwise their order would flip.
    /// - Returns: whether any move was applied.
    mutating func twoOptSweep() -> Bool {
        let last = path.count - 1
        guard last >= 3 else { return false }
        var improved = false
        for i in 1..<(last - 1) {
            var k = i + 1
            while k < last {
                // Widening the segment only adds pinned stops, so the rest of this row is invalid too.
                if pinnedCount(i...k) > 1 { break }
                let before = path[i - 1]
                let first = path[i]
                let segmentEnd = path[k]
                let after = path[k + 1]
                let delta =
                    distances[before, segmentEnd] + distances[first, after]
                    - distances[before, first] - distances[segmentEnd, after]
                if delta < -Self.minimumGainMeters {
                    reverseSegment(i...k)
                    improved = true
                }
                k += 1
            }
        }
        return improved
    }
}
