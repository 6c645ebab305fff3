/// A value that can be one argument of a Redis command. Arguments are sent as length-prefixed bytes
/// (`redisCommandArgv`), so binary data, NUL bytes and spaces need no escaping.
public protocol RedisArgument {
    /// Appends this argument's bytes; appending (rather than returning an array) builds a whole
    /// command in one buffer without an allocation per argument.
    func appendRedisBytes(to buffer: inout [UInt8])
}

extension String: RedisArgument {
    public func appendRedisBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: utf8) }
}

extension Substring: RedisArgument {
    public func appendRedisBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: utf8) }
}

extension Array: RedisArgument where Element == UInt8 {
    public func appendRedisBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
}

extension ArraySlice: RedisArgument where Element == UInt8 {
    public func appendRedisBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
}

/// Integers are sent in decimal, the form Redis parses for counts, TTLs and INCRBY.
extension Int: RedisArgument {
    public func appendRedisBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: String(self).utf8) }
}

/// One command's arguments laid out contiguously, with the offsets hiredis' argv/argvlen need.
struct RedisCommandBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var offsets: [Int] = []
    private(set) var lengths: [Int] = []

    init(_ arguments: [any RedisArgument]) {
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            let start = bytes.count
            argument.appendRedisBytes(to: &bytes)
            offsets.append(start)
            lengths.append(bytes.count - start)
        }
        // A trailing byte keeps the base address non-nil even when every argument is empty.
        bytes.append(0)
    }

    var count: Int { lengths.count }

    /// Calls `body(argc, argv, argvlen)` with pointers valid only for the duration of the call.
    func withArgv<T>(
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) throws(RedisError) -> T
    ) throws(RedisError) -> T {
        guard count > 0 else { throw .invalidCommand("a command needs at least its name") }
        let result: Result<T, RedisError> = bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: CChar.self)
            var argv: [UnsafePointer<CChar>?] = offsets.map { UnsafePointer(base + $0) }
            return argv.withUnsafeMutableBufferPointer { argvBuffer in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    Result { () throws(RedisError) -> T in
                        try body(
                            Int32(count), argvBuffer.baseAddress.unsafelyUnwrapped,
                            lengthBuffer.baseAddress.unsafelyUnwrapped)
                    }
                }
            }
        }
        return try result.get()
    }
}
