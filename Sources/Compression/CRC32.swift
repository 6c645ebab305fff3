import CZlib

/// CRC-32 (ISO-HDLC, as in gzip, ZIP and PNG) computed by zlib.
public enum CRC32 {
    /// The CRC of `bytes`, continuing from `seed` (the CRC of everything before them; 0 to start).
    public static func checksum(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum($0, seed: seed) }
    }

    /// The CRC of `buffer`, continuing from `seed`: for callers that stream from memory they do not own
    /// as an array (the ZIP writer), so no copy is made.
    static func checksum(_ buffer: UnsafeBufferPointer<UInt8>, seed: UInt32 = 0) -> UInt32 {
        var crc = uLong(seed)
        var offset = 0
        // zlib takes a 32-bit length; larger buffers go in pieces. An empty buffer is never passed:
        // crc32 with a null buffer returns 0, not the seed.
        while offset < buffer.count, let base = buffer.baseAddress {
            let count = min(buffer.count - offset, Int(UInt32.max))
            crc = crc32(crc, base + offset, UInt32(count))
            offset += count
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
