/// An ordered list of header fields stored as one byte buffer plus an index of ranges.
///
/// Requests get theirs straight from the parser (the index points into the copied head, no per-field
/// allocation); responses append to it. Values appended by application code are sanitised: CR, LF and
/// NUL become spaces, so no handler can split a response.
public struct HTTPFields: Sendable, Sequence {
    @usableFromInline struct Entry: Sendable {
        var nameStart: Int32
        var nameCount: Int32
        var valueStart: Int32
        var valueCount: Int32
    }

    @usableFromInline var storage: [UInt8]
    @usableFromInline var entries: [Entry]

    public init() {
        storage = []
        entries = []
    }

    init(storage: [UInt8], entries: [Entry]) {
        self.storage = storage
        self.entries = entries
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Appends a field, keeping any earlier one of the same name.
    public mutating func append(_ name: HTTPFieldName, _ value: String) {
        let nameStart = storage.count
        storage.append(contentsOf: name.name.utf8)
        let valueStart = storage.count
        for b in value.utf8 { storage.append(b == 0x0D || b == 0x0A || b == 0 ? 0x20 : b) }
        entries.append(
            Entry(
                nameStart: Int32(nameStart), nameCount: Int32(valueStart - nameStart),
                valueStart: Int32(valueStart), valueCount: Int32(storage.count - valueStart)))
    }

    /// Replaces every field of that name with one field.
    public mutating func set(_ name: HTTPFieldName, _ value: String) {
        remove(name)
        append(name, value)
    }

    /// Removes every field of that name (their bytes stay in storage until the value is dropped).
    public mutating func remove(_ name: HTTPFieldName) {
        let snapshot = self  // matching reads storage while entries is mutated
        entries.removeAll { snapshot.matches($0, name) }
    }

    /// Appends every field of `other` whose name this list does not have yet.
    public mutating func merge(missingFrom other: HTTPFields) {
        let present = Set(map { $0.name.lowercased() })
        for (name, value) in other where !present.contains(name.lowercased()) {
            append(HTTPFieldName(name), value)
        }
    }

    public func contains(_ name: HTTPFieldName) -> Bool {
        entries.contains { matches($0, name) }
    }

    /// The first value of that name.
    public subscript(_ name: HTTPFieldName) -> String? {
        for e in entries where matches(e, name) { return value(e) }
        return nil
    }

    /// Every value of that name, in order.
    public func values(_ name: HTTPFieldName) -> [String] {
        entries.compactMap { matches($0, name) ? value($0) : nil }
    }

    public func makeIterator() -> AnyIterator<(name: String, value: String)> {
        var i = 0
        return AnyIterator {
            guard i < entries.count else { return nil }
            defer { i += 1 }
            return (self.name(entries[i]), self.value(entries[i]))
        }
    }

    @inline(__always) func matches(_ e: Entry, _ name: HTTPFieldName) -> Bool {
        let n = Int(e.nameCount)
        guard n == name.lowercased.count else { return false }
        let start = Int(e.nameStart)
        return storage.withUnsafeBufferPointer { s in
            name.lowercased.withUnsafeBufferPointer { l in
                for k in 0..<n where ASCII.lower(s[start + k]) != l[k] { return false }
                return true
            }
        }
    }

    func name(_ e: Entry) -> String {
        String(decoding: storage[Int(e.nameStart)..<Int(e.nameStart + e.nameCount)], as: UTF8.self)
    }

    func value(_ e: Entry) -> String {
        String(decoding: storage[Int(e.valueStart)..<Int(e.valueStart + e.valueCount)], as: UTF8.self)
    }

    /// Appends `Name: value\r\n` for every field to `out`, skipping the fields the server owns
    /// (`Content-Length`, `Transfer-Encoding`, `Connection`, `Date`) so a handler cannot break framing.
    func writeForResponse(into out: inout [UInt8]) {
        storage.withUnsafeBufferPointer { s in
            for e in entries {
                let ns = Int(e.nameStart)
                let nc = Int(e.nameCount)
                switch nc {
                case 4 where RequestParser.nameIs(s, ns, "date"): continue
                case 10 where RequestParser.nameIs(s, ns, "connection"): continue
                case 14 where RequestParser.nameIs(s, ns, "content-length"): continue
                case 17 where RequestParser.nameIs(s, ns, "transfer-encoding"): continue
                default: break
                }
                out.append(contentsOf: s[ns..<ns + nc])
                out.append(ASCII.colon)
                out.append(ASCII.sp)
                out.append(contentsOf: s[Int(e.valueStart)..<Int(e.valueStart + e.valueCount)])
                out.append(ASCII.cr)
                out.append(ASCII.lf)
            }
        }
    }

    /// Whether any value of that name contains `token` as a comma-separated list element
    /// (case-insensitive), e.g. `Connection: keep-alive, Upgrade` contains `keep-alive`.
    public func containsToken(_ name: HTTPFieldName, _ token: String) -> Bool {
        let t = Array(token.utf8.map(ASCII.lower))
        for e in entries where matches(e, name) {
            var matched = false
            storage.withUnsafeBufferPointer { s in
                ListScanner.forEachElement(s, from: Int(e.valueStart), to: Int(e.valueStart + e.valueCount)) {
                    lo, hi in
                    if hi - lo == t.count, (0..<t.count).allSatisfy({ ASCII.lower(s[lo + $0]) == t[$0] }) {
                        matched = true
                    }
                }
            }
            if matched { return true }
        }
        return false
    }
}

/// Splits a comma-separated field value into trimmed, non-empty elements (RFC 9110 §5.6.1).
enum ListScanner {
    static func forEachElement(
        _ s: UnsafeBufferPointer<UInt8>, from: Int, to: Int, _ body: (Int, Int) -> Void
    ) {
        var i = from
        while i < to {
            var start = i
            while i < to, s[i] != ASCII.comma { i += 1 }
            var end = i
            while start < end, s[start] == ASCII.sp || s[start] == ASCII.htab { start += 1 }
            while end > start, s[end - 1] == ASCII.sp || s[end - 1] == ASCII.htab { end -= 1 }
            if end > start { body(start, end) }
            i += 1
        }
    }
}
