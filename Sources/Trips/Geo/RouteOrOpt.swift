extension RouteSearch {
    /// Longest run of consecutive stops that or-opt relocates as one block.
    static let orOptMaxSegmentLength = 3

    /// One first-improvement or-opt sweep: move a run of 1…3 stops, possibly reversed, elsewhere.
    ///
    /// Catches what 2-opt misses cheaply (one stop visited "on the way back"). A run holding a pinned
    /// stop may not jump over another pinned stop, and a reversed run may hold at most one.
    /// - Returns: whether any move was applied.
    mutating func orOptSweep() -> Bool {
        var improved = false
        for length in 1...Self.orOptMaxSegmentLength {
            var i = 1
            while i + length <= path.count - 1 {
                if relocateSegment(at: i, length: length) { improved = true }
                i += 1
            }
        }
        return improved
    }

    /// Applies the first improving relocation of `path[i..<i + length]`, if any.
    private mutating func relocateSegment(at i: Int, length: Int) -> Bool {
        let segmentLast = i + length - 1
        let previous = path[i - 1]
        let next = path[segmentLast + 1]
        let first = path[i]
        let lastNode = path[segmentLast]
        let segmentPinned = pinnedCount(i...segmentLast)
        let removalGain = distances[previous, first] + distances[lastNode, next] - distances[previous, next]
        guard removalGain > Self.minimumGainMeters else { return false }

        // Insertion edges (path[j], path[j + 1]) outside the segment and not the one it came from.
        for j in 0..<(path.count - 1) where j < i - 1 || j > segmentLast {
            if segmentPinned > 0 {
                let between = j < i ? pinnedCount((j + 1)...(i - 1)) : pinnedCount((segmentLast + 1)...j)
                if between > 0 { continue }
            }
            let left = path[j]
            let right = path[j + 1]
            let edge = distances[left, right]
            let forward = distances[left, first] + distances[lastNode, right] - edge
            let reversed = distances[left, lastNode] + distances[first, right] - edge
            let mayReverse = length > 1 && segmentPinned <= 1
            let useReversed = mayReverse && reversed < forward
            let insertionCost = useReversed ? reversed : forward
            if insertionCost - removalGain < -Self.minimumGainMeters {
                moveSegment(at: i, length: length, afterIndex: j, reversed: useReversed)
                return true
            }
        }
        return false
    }

    private mutating func moveSegment(at i: Int, length: Int, afterIndex j: Int, reversed: Bool) {
        var segment = Array(path[i..<(i + length)])
        if reversed { segment.reverse() }
        var newPath = path
        newPath.removeSubrange(i..<(i + length))
        // Indices after the removed run shift left by its length.
        let insertAt = j < i ? j + 1 : j + 1 - length
        newPath.insert(contentsOf: segment, at: insertAt)
        replacePath(newPath)
    }
}
