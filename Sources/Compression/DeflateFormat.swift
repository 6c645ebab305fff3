import CZlib

/// The framing around deflate data: what `windowBits` tells zlib to write or expect.
public enum DeflateFormat: Sendable, Hashable {
    /// RFC 1952: header, deflate data, CRC-32 and length. What `Content-Encoding: gzip` means.
    case gzip
    /// RFC 1951 deflate data with no framing, as stored inside ZIP entries.
    case raw
    /// RFC 1950: two-byte header, deflate data, Adler-32. What HTTP calls `deflate`.
    case zlib

    /// zlib's encoding of the format into windowBits: negative for raw, +16 for gzip.
    func windowBits(_ bits: Int32 = MAX_WBITS) -> Int32 {
        switch self {
        case .gzip: bits + 16
        case .raw: -bits
        case .zlib: bits
        }
    }
}
