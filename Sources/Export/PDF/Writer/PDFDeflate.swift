import Compression

/// One-shot zlib-framed deflate for stream objects (`/FlateDecode`, PDF 1.7 §7.4.4).
enum PDFDeflate {
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let stream = try DeflateStream(format: .zlib, level: 9)
        return try stream.write(bytes) + stream.finish()
    }
}
