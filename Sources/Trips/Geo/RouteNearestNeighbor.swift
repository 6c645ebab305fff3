/// Greedy construction: from the start anchor, always walk to the closest stop that may come next.
///
/// "May come next" means any unvisited unpinned stop, or the earliest unvisited pinned stop, so
/// pinned stops come out in input order. Ties go to the lower input index, keeping it deterministic.
/// Without a start anchor every first leg costs 0 and the walk begins at the first input stop.
enum RouteNearestNeighbor {
    static func path(distances: RouteDistances, isPinned: [Bool]) -> [Int] {
        let endNode = distances.nodeCount - 1
        let stopNodes = Array(1..<endNode)
        var visited = [Bool](repeating: false, count: distances.nodeCount)
        let pinnedInOrder = stopNodes.filter { isPinned[$0] }
        var nextPinned = 0
        var path = [0]
        path.reserveCapacity(distances.nodeCount)
        var current = 0
        for _ in stopNodes {
            var best = -1
            var bestDistance = Double.infinity
            // Scanning in node order and replacing only on strictly shorter legs breaks ties by index.
            for node in stopNodes where !visited[node] {
                if isPinned[node] && (nextPinned >= pinnedInOrder.count || node != pinnedInOrder[nextPinned]) {
                    continue
                }
                let distance = distances[current, node]
                if best < 0 || distance < bestDistance {
                    best = node
                    bestDistance = distance
                }
            }
            guard best >= 0 else { break }
            if isPinned[best] { nextPinned += 1 }
            visited[best] = true
            path.append(best)
            current = best
        }
        path.append(endNode)
        return path
    }
}
