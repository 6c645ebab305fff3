import CZlib

/// One-shot gzip (RFC 1952), as used for `Content-Encoding: gzip` and `.gz` files.
public enum Gzip {
    /// Compresses `input` into a single gzip member.
    /// - Parameter level: 1 (fastest) … 9 (smallest), 0 stores, -1 is zlib's default (6).
    public static func compress(_ input: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        // Smallest window (9...15 bits) that covers the input: same output size, far less memory
        // for the typical few-KiB response.
        var bits: Int32 = 9
        while bits < MAX_WBITS, 1 << bits < input.count { bits += 1 }
        let stream = try ZStream(deflate: .gzip, level: level, windowBits: bits)
        var output: [UInt8] = []
        output.reserveCapacity(stream.deflateBound(input.count))
        try input.withUnsafeBufferPointer { try stream.deflate($0, flush: Z_FINISH, into: &output) }
        return output
    }

    /// Decompresses gzip data; concatenated members decode to the concatenation, as with `gzip -d`.
    ///
    /// - Parameter maxOutputBytes: the most output accepted. Decompression stops as soon as it would
    ///   exceed it, so a small hostile input cannot make this allocate more than the limit.
    /// - Throws: `CompressionError.outputLimitExceeded`, `.truncatedInput`, `.corruptInput` (bad header,
    ///   data, CRC or length, trailing garbage).
    public static func decompress(_ input: [UInt8], maxOutputBytes: Int) throws -> [UInt8] {
        let stream = try ZStream(inflate: .gzip)
        return try input.withUnsafeBufferPointer {
            try stream.inflateAll($0, maxOutputBytes: maxOutputBytes, multiMember: true)
        }
    }
}
