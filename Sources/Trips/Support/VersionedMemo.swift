import Synchronization

/// A small in-process cache in front of Redis for documents keyed by (trip, version): a key names
/// one immutable version, so a hit is always right, and a write (new version) simply stops asking
/// for the old entry. Saves a Redis round trip on the hottest reads; bounded by total bytes, oldest
/// insertions evicted first.
final class VersionedMemo: Sendable {
    private struct State {
        var entries: [String: [UInt8]] = [:]
        var order: [String] = []
        var head = 0
        var bytes = 0
    }

    let capacityBytes: Int
    // Shared by every handler thread; held only for a dictionary lookup or insert.
    private let state = Mutex(State())

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    func get(_ key: String) -> [UInt8]? {
        state.withLock { $0.entries[key] }
    }

    func put(_ key: String, _ value: [UInt8]) {
        guard value.count <= capacityBytes / 4 else { return }
        state.withLock { s in
            guard s.entries[key] == nil else { return }
            s.entries[key] = value
            s.order.append(key)
            s.bytes += value.count
            while s.bytes > capacityBytes, s.head < s.order.count {
                let old = s.order[s.head]
                s.head += 1
                if let gone = s.entries.removeValue(forKey: old) { s.bytes -= gone.count }
            }
            // Compact the eviction queue once its dead prefix dominates.
            if s.head > 1024, s.head * 2 > s.order.count {
                s.order.removeFirst(s.head)
                s.head = 0
            }
        }
    }
}
