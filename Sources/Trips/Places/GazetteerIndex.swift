/// How a query key matched one of a place's names; a lower raw value is a better match.
///
/// "Name" is the place's own name or ASCII name; "alternate" is one of its other names, which
/// include nicknames ("New York Van Java" for Jakarta) and so count for less.
enum GazetteerMatch: UInt8, Comparable, Sendable {
    /// The whole folded name equals the query ("lisbon" → Lisbon).
    case exactName = 0
    /// The whole folded alternate name equals the query ("lisboa" → Lisbon).
    case exactAlternate = 1
    /// The folded name starts with the query ("new y" → "new york city").
    case namePrefix = 2
    /// A later word of the name starts with the query ("york" → "new york city").
    case nameWordPrefix = 3
    /// An alternate name starts with the query ("muenc" → "Muenchen").
    case alternatePrefix = 4
    /// A later word of an alternate name starts with the query.
    case alternateWordPrefix = 5

    init(isAlternate: Bool, isWholeKey: Bool, isExact: Bool) {
        switch (isAlternate, isWholeKey, isExact) {
        case (false, true, true): self = .exactName
        case (true, true, true): self = .exactAlternate
        case (false, true, false): self = .namePrefix
        case (true, true, false): self = .alternatePrefix
        case (false, false, _): self = .nameWordPrefix
        case (true, false, _): self = .alternateWordPrefix
        }
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Every place name's search key and word suffixes, sorted bytewise for binary-search prefix lookup.
///
/// Keys live back to back in one byte arena; an entry points at a key or at one of its later words,
/// so "new york city" yields entries for `new york city`, `york city` and `city` without copies.
struct GazetteerIndex: Sendable {
    struct Entry: Sendable {
        /// First eight key bytes, big-endian, zero-padded: decides most comparisons in one step.
        /// Keys never contain a zero byte, so padding sorts a shorter key before its extensions.
        var head: UInt64
        var start: UInt32
        var length: UInt32
        var place: UInt32
        /// False when the entry starts at a later word of the key.
        var isWholeKey: Bool
        /// The key comes from an alternate name rather than the name or ASCII name.
        var isAlternate: Bool
    }

    let keyBytes: [UInt8]
    let entries: [Entry]

    init(keyBytes: [UInt8], entries: [Entry]) {
        var sorted = entries
        keyBytes.withUnsafeBufferPointer { bytes in
            sorted.sort { lhs, rhs in
                let order = Self.compare(bytes, lhs, rhs)
                if order != 0 { return order < 0 }
                // Total order on equal keys so that load and search are deterministic.
                if lhs.place != rhs.place { return lhs.place < rhs.place }
                if lhs.isAlternate != rhs.isAlternate { return !lhs.isAlternate }
                return lhs.isWholeKey && !rhs.isWholeKey
            }
        }
        self.keyBytes = keyBytes
        self.entries = sorted
    }

    /// Calls `body(place, match)` for every entry whose key starts with `query` (non-empty).
    func forEachMatch(of query: [UInt8], _ body: (Int, GazetteerMatch) -> Void) {
        guard !query.isEmpty else { return }
        keyBytes.withUnsafeBufferPointer { bytes in
            query.withUnsafeBufferPointer { query in
                let queryHead = Self.head(query, 0..<query.count)
                var index = lowerBound(bytes, query, queryHead)
                while index < entries.count {
                    let entry = entries[index]
                    guard Self.hasPrefix(bytes, entry, query) else { break }
                    let match = GazetteerMatch(
                        isAlternate: entry.isAlternate, isWholeKey: entry.isWholeKey,
                        isExact: Int(entry.length) == query.count)
                    body(Int(entry.place), match)
                    index += 1
                }
            }
        }
    }

    static func head(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var head: UInt64 = 0
        for offset in 0..<8 {
            let index = range.lowerBound + offset
            head = head << 8 | (index < range.upperBound ? UInt64(bytes[index]) : 0)
        }
        return head
    }

    /// First entry whose key is not less than `query`.
    private func lowerBound(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ query: UnsafeBufferPointer<UInt8>,
        _ queryHead: UInt64
    ) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            let entry = entries[middle]
            let isLess: Bool
            if entry.head != queryHead {
                isLess = entry.head < queryHead
            } else {
                isLess =
                    Self.compareTail(bytes, Int(entry.start), Int(entry.length), query.baseAddress, query.count) < 0
            }
            if isLess { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func hasPrefix(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ entry: Entry,
        _ query: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard Int(entry.length) >= query.count else { return false }
        let start = Int(entry.start)
        for offset in 0..<query.count where bytes[start + offset] != query[offset] {
            return false
        }
        return true
    }

    private static func compare(_ bytes: UnsafeBufferPointer<UInt8>, _ lhs: Entry, _ rhs: Entry) -> Int {
        if lhs.head != rhs.head { return lhs.head < rhs.head ? -1 : 1 }
        let other = UnsafeBufferPointer(rebasing: bytes[Int(rhs.start)..<Int(rhs.start + rhs.length)])
        return compareTail(bytes, Int(lhs.start), Int(lhs.length), other.baseAddress, other.count)
    }

    /// Lexicographic comparison of two keys whose first eight bytes are already known to be equal.
    private static func compareTail(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int, _ other: UnsafePointer<UInt8>?,
        _ otherLength: Int
    ) -> Int {
        let common = min(length, otherLength)
        var offset = 8
        while offset < common {
            let a = bytes[start + offset]
            let b = other?[offset] ?? 0
            if a != b { return a < b ? -1 : 1 }
            offset += 1
        }
        return length == otherLength ? 0 : (length < otherLength ? -1 : 1)
    }
}
