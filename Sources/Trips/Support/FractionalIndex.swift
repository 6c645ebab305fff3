/// Order keys that always have room between them, so moving an item writes one row instead of
/// renumbering its day (concurrent moves then touch different rows and never collide).
///
/// A key is a string over 62 digits that sort in byte order (`0-9A-Za-z`; the column uses
/// `COLLATE "C"`), read as a base-62 fraction. No key ends in `0`, so there is always a key between two
/// different keys, and one before any key.
enum FractionalIndex {
    static let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    static let base = 62
    /// Keys longer than this are refused by validation of the stored state; reaching it takes tens of
    /// thousands of inserts at the same spot.
    static let maximumLength = 512

    /// The first key of an empty list: the middle, so there is as much room before as after.
    static let first = "V"

    /// A key strictly between `a` and `b` (nil: the start or end of the list). Requires a < b.
    static func between(_ a: String?, _ b: String?) -> String {
        let da = (a.map { Array($0.utf8) } ?? []).map(value)
        let db = b.map { Array($0.utf8).map(value) }
        // Appending: bump the first digit that has room, so a day filled by appends grows one digit
        // per 61 items instead of one per six.
        if db == nil, !da.isEmpty {
            let key = da.firstIndex { $0 < base - 1 }.map { Array(da[..<$0]) + [da[$0] + 1] } ?? da + [1]
            return String(decoding: key.map { digits[$0] }, as: UTF8.self)
        }
        return String(decoding: midpoint(da[...], db?[...]).map { digits[$0] }, as: UTF8.self)
    }

    private static func value(_ byte: UInt8) -> Int {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x5A: return Int(byte - 0x41) + 10
        default: return Int(byte &- 0x61) + 36
        }
    }

    /// Base-62 digits of a fraction strictly between `a` (empty = 0) and `b` (nil = 1).
    private static func midpoint(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>?) -> [Int] {
        if let b {
            // Skip the common prefix (reading a missing digit of `a` as 0).
            var n = 0
            while n < b.count, (n < a.count ? a[a.startIndex + n] : 0) == b[b.startIndex + n] { n += 1 }
            if n > 0 {
                let prefix = Array(b.prefix(n))
                return prefix + midpoint(a.dropFirst(n), b.dropFirst(n))
            }
        }
        let digitA = a.first ?? 0
        let digitB = b?.first ?? base
        if digitB - digitA > 1 { return [(digitA + digitB + 1) / 2] }
        // Adjacent first digits: `b`'s first digit alone is between when `b` has more digits.
        if let b, b.count > 1 { return [digitB] }
        return [digitA] + midpoint(a.dropFirst(), nil)
    }
}
