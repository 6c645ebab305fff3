/// One Redis reply, copied out of hiredis' `redisReply` so it outlives `freeReplyObject`.
///
/// hiredis 0.14 reports a nil bulk string and a nil array the same way (`REDIS_REPLY_NIL`); both
/// arrive as `.bulkString(nil)`. Check `isNil` rather than matching a case.
public enum RESPValue: Sendable, Hashable {
    /// A status reply such as `OK` or `PONG`.
    case simpleString(String)
    /// An error reply such as `WRONGTYPE Operation against a key holding the wrong kind of value`.
    case error(String)
    case integer(Int)
    /// Binary-safe bytes; nil for a missing key.
    case bulkString([UInt8]?)
    /// nil for a null array (e.g. an aborted `EXEC`), though hiredis 0.14 reports that as `.bulkString(nil)`.
    case array([RESPValue]?)

    /// True for a nil bulk string or nil array.
    public var isNil: Bool {
        switch self {
        case .bulkString(nil), .array(nil): return true
        default: return false
        }
    }

    /// The bytes of a bulk or status string.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): return bytes
        case .simpleString(let text): return Array(text.utf8)
        default: return nil
        }
    }

    /// A bulk or status string as text; nil when absent or not valid UTF-8 (never a lossy repair).
    public var string: String? {
        switch self {
        case .simpleString(let text): return text
        case .bulkString(let bytes?): return String(validating: bytes, as: UTF8.self)
        default: return nil
        }
    }

    /// An integer reply, or a bulk string holding a decimal integer as Redis writes it (`GET counter`).
    /// Strict: digits with an optional leading `-`, no `+`, spaces or overflow.
    public var int: Int? {
        switch self {
        case .integer(let value): return value
        case .bulkString(let bytes?): return Self.parseInteger(bytes)
        default: return nil
        }
    }

    /// The elements of an array reply.
    public var array: [RESPValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The message of an error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }

    /// Decimal digits only, so `"+5"` or `" 5"` (which `Int.init` partly accepts) are rejected.
    static func parseInteger(_ bytes: [UInt8]) -> Int? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < bytes.count else { return nil }
        var value = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            // Accumulate negatively so Int.min parses without overflow.
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.subtractingReportingOverflow(digit)
            guard !overflow1 && !overflow2 else { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        let (positive, overflow) = (0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }
}
