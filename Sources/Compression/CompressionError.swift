/// Why a compression or decompression call failed.
public enum CompressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The level is outside -1...9 (-1 is zlib's default, 6).
    case invalidLevel(Int32)
    /// zlib could not allocate its state.
    case outOfMemory
    /// Decompressing would produce more than the caller allowed (a zip bomb, or just too big).
    case outputLimitExceeded(limit: Int)
    /// The input ended before the compressed stream did.
    case truncatedInput
    /// The input is not a valid stream of the expected format (bad header, bad data, bad checksum,
    /// trailing garbage); `reason` is zlib's message.
    case corruptInput(reason: String)
    /// `write`, `flush` or `finish` was called after `finish`.
    case streamFinished
    /// A zlib return code that no valid use of the API produces.
    case zlib(code: Int32)

    public var description: String {
        switch self {
        case .invalidLevel(let level): "invalid compression level \(level) (expected -1...9)"
        case .outOfMemory: "zlib could not allocate memory"
        case .outputLimitExceeded(let limit): "decompressed data exceeds \(limit) bytes"
        case .truncatedInput: "compressed data is truncated"
        case .corruptInput(let reason): "compressed data is corrupt: \(reason)"
        case .streamFinished: "the stream is already finished"
        case .zlib(let code): "unexpected zlib error \(code)"
        }
    }
}
