import CZlib

/// A streaming compressor: feed bytes as they come, get compressed bytes back, `finish` once.
///
/// Backs gzip of streamed responses and the ZIP writer (`.raw`). Output arrives in whatever pieces
/// zlib emits (often nothing until enough input has accumulated); concatenating every returned array
/// gives the complete stream. Dropping the object ends the zlib stream and frees its memory, finished
/// or not. Not thread-safe: one producer owns it.
public final class DeflateStream {
    public typealias Format = DeflateFormat

    private let stream: ZStream
    private var finished = false

    /// - Parameter level: 1 (fastest) … 9 (smallest), 0 stores, -1 is zlib's default (6).
    public init(format: DeflateFormat = .gzip, level: Int32 = 6) throws {
        stream = try ZStream(deflate: format, level: level)
    }

    /// Compresses `bytes`; returns whatever output zlib has ready (possibly none).
    public func write(_ bytes: [UInt8]) throws -> [UInt8] {
        try run(bytes, flush: Z_NO_FLUSH)
    }

    /// Returns everything written so far in decodable form without ending the stream, at a small cost
    /// in ratio: for server-sent events and other streams a client reads as they arrive.
    public func flush() throws -> [UInt8] {
        try run([], flush: Z_SYNC_FLUSH)
    }

    /// Ends the stream (writing the gzip/zlib trailer) and returns the last bytes.
    public func finish() throws -> [UInt8] {
        let tail = try run([], flush: Z_FINISH)
        finished = true
        return tail
    }

    private func run(_ bytes: [UInt8], flush: Int32) throws -> [UInt8] {
        guard !finished else { throw CompressionError.streamFinished }
        var output: [UInt8] = []
        do {
            try bytes.withUnsafeBufferPointer { try stream.deflate($0, flush: flush, into: &output) }
        } catch {
            // zlib's state is unknown after an error; refuse further use rather than emit garbage.
            finished = true
            throw error
        }
        return output
    }
}

@available(*, unavailable, message: "a DeflateStream belongs to one producer")
extension DeflateStream: Sendable {}
