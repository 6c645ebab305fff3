import Foundation

/// Where a PDF's bytes go as they are produced: memory, a file, an upload stream. The writer calls
/// `write` in order and never reads back, so a page already laid out can leave the process at once.
public protocol PDFSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
}

/// Collects the PDF in memory (tests, small documents).
public final class PDFMemorySink: PDFSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ bytes: [UInt8]) throws {
        self.bytes += bytes
    }
}

/// Writes the PDF to a file handle, unbuffered beyond what each call hands over.
public final class PDFFileSink: PDFSink {
    private let handle: FileHandle

    public init(handle: FileHandle) {
        self.handle = handle
    }

    public func write(_ bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
    }
}
