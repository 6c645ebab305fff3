/// Leg lengths between a day's anchors and stops, indexed by route node.
///
/// Node 0 is the start anchor, nodes 1…n are the stops in input order and node n + 1 is the end
/// anchor. A missing anchor is a free endpoint whose legs cost 0: one fixed-ends path model then
/// covers "lodging to lodging", "from lodging", "to lodging" and "anywhere to anywhere".
struct RouteDistances: Sendable {
    /// Stops plus the two anchor nodes.
    let nodeCount: Int
    /// Row-major `nodeCount × nodeCount` matrix; haversine is too slow to recompute in 2-opt loops.
    private let meters: [Double]

    init(stops: [RouteStop], start: Coordinate?, end: Coordinate?) {
        let nodes: [Coordinate?] = [start] + stops.map(\.coordinate) + [end]
        let count = nodes.count
        var meters = [Double](repeating: 0, count: count * count)
        for i in 0..<count {
            guard let a = nodes[i] else { continue }
            for j in (i + 1)..<count {
                guard let b = nodes[j] else { continue }
                let distance = Geodesy.distanceMeters(a, b)
                meters[i * count + j] = distance
                meters[j * count + i] = distance
            }
        }
        self.nodeCount = count
        self.meters = meters
    }

    /// Length of the leg between two nodes in meters.
    @inline(__always)
    subscript(from: Int, to: Int) -> Double {
        meters[from * nodeCount + to]
    }

    /// Length of a node path, summed in order so that every caller gets bit-identical totals.
    func length(of path: [Int]) -> Double {
        guard path.count > 1 else { return 0 }
        var total = 0.0
        for index in 1..<path.count {
            total += self[path[index - 1], path[index]]
        }
        return total
    }
}
