/// A reference to an indirect object: its number (generation is always 0 here).
public struct PDFObjectID: Hashable, Sendable, CustomStringConvertible {
    public let number: Int
    /// How other objects refer to this one: `N 0 R`.
    public var description: String { "\(number) 0 R" }
}

/// Writes the file structure of a PDF (header, indirect objects, cross-reference table, trailer)
/// straight to a sink, keeping only each object's byte offset.
///
/// Objects may be written in any order: `reserve()` hands out a number before its object exists, so a
/// page can point at a font that is written only once every page is known. Not thread-safe: one
/// render owns it.
public final class PDFWriter {
    private let sink: PDFSink
    private var offset = 0
    private var offsets: [Int: Int] = [:]
    private var nextNumber = 1
    private var finished = false

    /// Misuse of the writer (a bug in the caller, never caused by document content).
    public enum WriterError: Error, Equatable {
        case alreadyWritten(Int)
        case neverWritten(Int)
        case finished
    }

    /// Starts the file: the version header and a binary comment so transfers treat it as binary.
    public init(sink: PDFSink) throws {
        self.sink = sink
        try emit(Array("%PDF-1.7\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
    }

    /// A fresh object number to write later.
    public func reserve() -> PDFObjectID {
        defer { nextNumber += 1 }
        return PDFObjectID(number: nextNumber)
    }

    /// Writes `id` as `N 0 obj … endobj` with `body` (a dictionary, array or other direct object).
    public func write(_ id: PDFObjectID, _ body: String) throws {
        try begin(id)
        try emit(Array(body.utf8) + Array("\nendobj\n".utf8))
    }

    /// Writes a stream object: `dictionary` entries (without `<<`, `>>` and `/Length`) and its data,
    /// deflated unless `compress` is false.
    public func writeStream(
        _ id: PDFObjectID, _ dictionary: String = "", data: [UInt8], compress: Bool = true
    )
        throws
    {
        let payload = compress ? try PDFSyntax.deflate(data) : data
        let filter = compress ? " /Filter /FlateDecode" : ""
        try begin(id)
        try emit(Array("<< \(dictionary) /Length \(payload.count)\(filter) >>\nstream\n".utf8))
        try emit(payload)
        try emit(Array("\nendstream\nendobj\n".utf8))
    }

    /// Writes the cross-reference table and trailer. Every reserved object must have been written.
    public func finish(root: PDFObjectID, info: PDFObjectID) throws {
        guard !finished else { throw WriterError.finished }
        let count = nextNumber
        for number in 1..<count where offsets[number] == nil { throw WriterError.neverWritten(number) }
        let start = offset
        // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, CR LF.
        var table = "xref\n0 \(count)\n0000000000 65535 f\r\n"
        for number in 1..<count {
            let digits = String(offsets[number] ?? 0)
            table += String(repeating: "0", count: max(0, 10 - digits.count)) + digits + " 00000 n\r\n"
        }
        table += "trailer\n<< /Size \(count) /Root \(root) /Info \(info) >>\nstartxref\n\(start)\n%%EOF\n"
        try emit(Array(table.utf8))
        finished = true
    }

    private func begin(_ id: PDFObjectID) throws {
        guard !finished else { throw WriterError.finished }
        guard offsets[id.number] == nil else { throw WriterError.alreadyWritten(id.number) }
        offsets[id.number] = offset
        try emit(Array("\(id.number) 0 obj\n".utf8))
    }

    private func emit(_ bytes: [UInt8]) throws {
        try sink.write(bytes)
        offset += bytes.count
    }
}
