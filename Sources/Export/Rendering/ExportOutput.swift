import Crypto
import Foundation

/// An export's bytes on their way to the store: counted and hashed (SHA-256) as they pass, and handed
/// to the store's writer in parts of `partSize`, so memory holds one part however large the file.
final class ExportOutput: PDFSink {
    static let partSize = 256 * 1024

    private let writer: any ObjectWriter
    private let digest: DigestStream
    private var buffer: [UInt8] = []
    private(set) var size = 0

    init(writer: any ObjectWriter) throws {
        self.writer = writer
        digest = try DigestStream(.sha256)
        buffer.reserveCapacity(Self.partSize)
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write(raw: $0) }
    }

    /// For `ZipWriter`'s sink, which hands out borrowed buffers.
    func write(raw bytes: UnsafeRawBufferPointer) throws {
        try digest.update(bytes)
        size += bytes.count
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.partSize { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try writer.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Publishes the object; returns its size and SHA-256 (hex).
    func finish() throws -> (size: Int, sha256: String) {
        try flush()
        try writer.finish()
        return (size, Hex.encode(try digest.finalize()))
    }

    func abort() { writer.abort() }
}
