/// One-shot decompression of any `DeflateFormat`, with the same output limit as `Gzip.decompress`.
public enum Inflate {
    /// Decompresses one complete stream of `format`; input after its end is rejected as corrupt
    /// (gzip also accepts further members, see `Gzip.decompress`).
    public static func decompress(_ input: [UInt8], format: DeflateFormat, maxOutputBytes: Int) throws -> [UInt8] {
        let stream = try ZStream(inflate: format)
        return try input.withUnsafeBufferPointer {
            try stream.inflateAll($0, maxOutputBytes: maxOutputBytes, multiMember: format == .gzip)
        }
    }
}
