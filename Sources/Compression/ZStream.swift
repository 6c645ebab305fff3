import CZlib

/// Owns one z_stream and ends it exactly once.
///
/// The z_stream lives on the heap because zlib's internal state keeps a pointer back to it and rejects
/// calls made through a copy (`deflateStateCheck`); a Swift value could move, an allocation cannot.
/// Noncopyable so that no second owner can call deflateEnd/inflateEnd again.
struct ZStream: ~Copyable {
    enum Direction {
        case deflate
        case inflate
    }

    /// Output is produced into this buffer and copied out, so zlib never holds a pointer into a Swift
    /// array that could reallocate.
    static let scratchSize = 64 * 1024

    private let stream: UnsafeMutablePointer<z_stream>
    private let scratch: UnsafeMutableBufferPointer<UInt8>
    private let direction: Direction

    /// A compressor. `windowBits` (9...15) may be lowered for small inputs: a window larger than the
    /// input buys nothing and costs zlib's per-stream allocation.
    init(deflate format: DeflateFormat, level: Int32, windowBits: Int32 = MAX_WBITS) throws {
        guard (-1...9).contains(level) else { throw CompressionError.invalidLevel(level) }
        let bits = min(max(windowBits, 9), MAX_WBITS)
        self.stream = try Self.allocate { strm in
            // memLevel 8 is zlib's default (deflateInit uses it); strategy default suits text and JSON.
            czlib_deflate_init2(strm, level, Z_DEFLATED, format.windowBits(bits), 8, Z_DEFAULT_STRATEGY)
        }
        self.scratch = .allocate(capacity: Self.scratchSize)
        self.direction = .deflate
    }

    /// A decompressor that accepts any window size up to 32 KiB.
    init(inflate format: DeflateFormat) throws {
        self.stream = try Self.allocate { strm in
            czlib_inflate_init2(strm, format.windowBits())
        }
        self.scratch = .allocate(capacity: Self.scratchSize)
        self.direction = .inflate
    }

    private static func allocate(
        _ initialize: (UnsafeMutablePointer<z_stream>) -> Int32
    ) throws -> UnsafeMutablePointer<z_stream> {
        let strm = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        // All-zero: next_in, zalloc, zfree and opaque must be Z_NULL before the init call.
        strm.initialize(to: z_stream())
        let code = initialize(strm)
        guard code == Z_OK else {
            // A failed init leaves no state to end.
            strm.deinitialize(count: 1)
            strm.deallocate()
            throw code == Z_MEM_ERROR ? CompressionError.outOfMemory : CompressionError.zlib(code: code)
        }
        return strm
    }

    deinit {
        switch direction {
        case .deflate: deflateEnd(stream)
        case .inflate: inflateEnd(stream)
        }
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// An upper bound on the compressed size of `count` more bytes, wrapper included.
    func deflateBound(_ count: Int) -> Int {
        Int(clamping: CZlib.deflateBound(stream, uLong(clamping: count)))
    }

    /// Compresses all of `input` and appends what zlib emits to `output`. With `Z_NO_FLUSH` zlib may keep
    /// some input buffered; `Z_SYNC_FLUSH` emits everything so far; `Z_FINISH` ends the stream.
    func deflate(_ input: UnsafeBufferPointer<UInt8>, flush: Int32, into output: inout [UInt8]) throws {
        // Never leave zlib pointing at memory it does not own once we return.
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
            stream.pointee.next_out = nil
            stream.pointee.avail_out = 0
        }
        var offset = 0
        repeat {
            // avail_in is 32-bit: feed larger inputs in pieces and flush only with the last one.
            let count = min(input.count - offset, Int(UInt32.max))
            stream.pointee.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0 + offset) }
            stream.pointee.avail_in = UInt32(count)
            offset += count
            let mode = offset == input.count ? flush : Z_NO_FLUSH
            while true {
                stream.pointee.next_out = scratch.baseAddress
                stream.pointee.avail_out = UInt32(scratch.count)
                let code = CZlib.deflate(stream, mode)
                let produced = scratch.count - Int(stream.pointee.avail_out)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<produced]))
                switch code {
                case Z_STREAM_END:
                    return
                case Z_OK:
                    // A full buffer means zlib has more to give; otherwise this piece is done
                    // (Z_FINISH is done only at Z_STREAM_END).
                    if stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0 || mode == Z_FINISH {
                        continue
                    }
                case Z_BUF_ERROR:
                    // No progress possible: nothing new to compress or flush. Not an error.
                    break
                case Z_MEM_ERROR:
                    throw CompressionError.outOfMemory
                default:
                    throw CompressionError.zlib(code: code)
                }
                break
            }
        } while offset < input.count
    }

    /// Decompresses a complete stream, refusing to produce more than `maxOutputBytes`. With
    /// `multiMember`, concatenated streams decode to the concatenation, as `gzip -d` does.
    func inflateAll(_ input: UnsafeBufferPointer<UInt8>, maxOutputBytes: Int, multiMember: Bool) throws -> [UInt8] {
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
            stream.pointee.next_out = nil
            stream.pointee.avail_out = 0
        }
        let limit = max(0, maxOutputBytes)
        var output: [UInt8] = []
        var offset = 0
        while true {
            if stream.pointee.avail_in == 0, offset < input.count {
                let count = min(input.count - offset, Int(UInt32.max))
                stream.pointee.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0 + offset) }
                stream.pointee.avail_in = UInt32(count)
                offset += count
            }
            // Offer at most one byte beyond the limit: producing it proves the limit is exceeded
            // without ever holding more than limit + 1 bytes.
            let room = limit - output.count
            let window = room < scratch.count ? room + 1 : scratch.count
            stream.pointee.next_out = scratch.baseAddress
            stream.pointee.avail_out = UInt32(window)
            let code = inflate(stream, Z_NO_FLUSH)
            let produced = window - Int(stream.pointee.avail_out)
            guard produced <= room else { throw CompressionError.outputLimitExceeded(limit: limit) }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<produced]))
            switch code {
            case Z_OK:
                continue
            case Z_STREAM_END:
                let inputLeft = stream.pointee.avail_in > 0 || offset < input.count
                guard inputLeft else { return output }
                guard multiMember else { throw CompressionError.corruptInput(reason: "trailing data") }
                let reset = inflateReset(stream)
                guard reset == Z_OK else { throw CompressionError.zlib(code: reset) }
            case Z_BUF_ERROR:
                // The output had room, so zlib stopped for want of input: the stream is cut short.
                throw CompressionError.truncatedInput
            case Z_DATA_ERROR, Z_NEED_DICT:
                throw CompressionError.corruptInput(reason: message(code))
            case Z_MEM_ERROR:
                throw CompressionError.outOfMemory
            default:
                throw CompressionError.zlib(code: code)
            }
        }
    }

    private func message(_ code: Int32) -> String {
        if code == Z_NEED_DICT { return "preset dictionary required" }
        return stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
    }
}
