/// A JSON member that may be absent (leave as is), `null` (clear) or a value (set) — the three
/// meanings a PATCH body gives a field. Plain optionals cannot tell the first two apart.
public enum Patch<Value: Decodable & Sendable>: Sendable, Decodable {
    case absent
    case null
    case value(Value)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .null : .value(try container.decode(Value.self))
    }

    /// The value when set.
    var value: Value? {
        if case .value(let v) = self { return v }
        return nil
    }

    var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }

    /// The new value after applying this patch to `current`.
    func applied(to current: Value?) -> Value? {
        switch self {
        case .absent: return current
        case .null: return nil
        case .value(let v): return v
        }
    }
}

extension KeyedDecodingContainer {
    /// Synthesised `Decodable` calls this for `Patch` properties: a missing key is `.absent`, not an error.
    func decode<V>(_ type: Patch<V>.Type, forKey key: Key) throws -> Patch<V> {
        // Not `decodeIfPresent`: it answers nil for an explicit null too.
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(V.self, forKey: key))
    }
}
