import CZlib
import Foundation

/// Writes a ZIP archive (PKWARE APPNOTE 6.3.x) to a sink as entries are produced.
///
/// Nothing is seeked or rewritten: each entry is a local header, its data, and a data descriptor with
/// the CRC and sizes (general-purpose bit 3); the central directory follows at `finish`. Memory is one
/// small record per entry (name, CRC, sizes, offset) plus one zlib stream and a reused output buffer,
/// whatever the archive size, so an export can be uploaded or sent while it is being built.
///
/// ZIP64 records are written as soon as a size, offset or the entry count no longer fits the classic
/// fields. A streaming writer cannot know an entry's size when it writes the local header, so by
/// default (`.asNeeded`) a large entry is marked ZIP64 only in its data descriptor (8-byte sizes) and
/// in the central directory, as Go's archive/zip and Java's ZipOutputStream do; Info-ZIP `unzip`,
/// Python's `zipfile` and any reader that trusts the central directory accept that, but a reader that
/// streams (libarchive from a pipe) expects 4-byte descriptor sizes and fails on such an entry. Pass
/// `.always` for an entry that may exceed 4 GiB: its local header then announces ZIP64 too, and every
/// reader above, streaming or not, reads it. Offsets and the entry count live only in the central
/// directory, so a large archive of small entries needs neither.
///
/// Not thread-safe: one producer owns it. Usage:
/// ```swift
/// let zip = ZipWriter { bytes in try file.write(contentsOf: bytes) }
/// try zip.addEntry(name: "trip.json", data: json)
/// try zip.startEntry(name: "trip.pdf", modified: .now, method: .store)
/// for page in pages { try zip.write(page) }
/// try zip.finishEntry()
/// try zip.finish()
/// ```
public final class ZipWriter {
    /// Receives the archive in order, in pieces of any size; the bytes are valid only during the call.
    /// An error it throws is rethrown to the caller and leaves the writer failed.
    public typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    /// How an entry's data is stored.
    public enum Method: Sendable, Hashable {
        /// Raw deflate (method 8): text, JSON, calendars, tracks.
        case deflate
        /// As is (method 0): already-compressed data such as PDF or images.
        case store

        var code: UInt16 {
            switch self {
            case .deflate: 8
            case .store: 0
            }
        }
    }

    /// Whether an entry's local header announces ZIP64 before its size is known.
    public enum Zip64: Sendable, Hashable {
        /// Only when the finished entry needs it, in the descriptor and central directory.
        case asNeeded
        /// In the local header too (20 bytes more per entry), for entries that may exceed 4 GiB.
        case always
    }

    /// The most entries one archive may hold: the central directory stays in memory until `finish`.
    public static let maxEntries = 1_000_000

    /// Input is compressed and forwarded in pieces of this size, which bounds the output buffer even
    /// when a caller writes a gigabyte in one call.
    static let chunkSize = 64 * 1024

    /// The limits of the format, lowered by tests to reach the ZIP64 paths with small data.
    struct Limits {
        /// The smallest size or offset that needs ZIP64.
        var zip64Threshold = UInt64(ZipRecords.marker32)
        /// The smallest entry count that needs ZIP64.
        var zip64EntryThreshold = Int(ZipRecords.marker16)
        var maxEntries = ZipWriter.maxEntries
    }

    private enum State {
        case writing
        case finished
        case failed
    }

    /// The entry being written: its header fields and running totals.
    private struct OpenEntry {
        var local: ZipRecords.LocalHeader
        var offset: UInt64
        var crc: UInt32 = 0
        var compressedSize: UInt64 = 0
        var uncompressedSize: UInt64 = 0
        var deflater: Deflater?
    }

    private let sink: Sink
    private let level: Int32
    private let limits: Limits
    private var state = State.writing
    private var open: OpenEntry?
    private var entries: [ZipRecords.CentralEntry] = []
    private var names: Set<String> = []
    /// Bytes handed to the sink so far: the offset of whatever comes next.
    private var offset: UInt64 = 0
    /// Headers and compressed output are built here and handed to the sink; reused, never shrunk.
    private var buffer: [UInt8] = []
    /// The largest capacity any of the writer's own buffers reached, for the bounded-memory test.
    private(set) var bufferHighWater = 0

    /// - Parameters:
    ///   - level: deflate level for `.deflate` entries: 1 (fastest) … 9 (smallest), -1 is zlib's 6.
    ///   - sink: receives the archive bytes in order.
    public convenience init(level: Int32 = 6, sink: @escaping Sink) {
        self.init(level: level, limits: Limits(), sink: sink)
    }

    init(level: Int32 = 6, limits: Limits, sink: @escaping Sink) {
        self.level = level
        self.limits = limits
        self.sink = sink
    }

    /// Begins an entry; its data follows with `write`, and `finishEntry` ends it.
    ///
    /// - Parameter modified: stored as an MS-DOS date and time in UTC (the format has no zone), to
    ///   two seconds, clamped to 1980...2107.
    /// - Throws: `ZipError` for an invalid or duplicate name, too many entries, an entry still open,
    ///   or a finished or failed writer; the sink's error if it fails.
    public func startEntry(
        name: String, modified: Date = Date(), method: Method = .deflate, zip64: Zip64 = .asNeeded
    ) throws {
        try checkWritable()
        guard open == nil else { throw ZipError.entryAlreadyOpen }
        let nameBytes = try ZipEntryName.validate(name)
        guard !names.contains(name) else { throw ZipError.duplicateName(name) }
        guard entries.count < limits.maxEntries else { throw ZipError.tooManyEntries(limit: limits.maxEntries) }

        let deflater = try method == .deflate ? Deflater(level: level) : nil
        let local = ZipRecords.LocalHeader(
            versionNeeded: zip64 == .always
                ? ZipRecords.versionZip64 : method == .deflate ? ZipRecords.versionDeflate : ZipRecords.versionStore,
            flags: ZipRecords.flagDataDescriptor | ZipRecords.flagUTF8,
            method: method.code,
            time: DOSDateTime(modified),
            name: nameBytes,
            zip64: zip64 == .always)
        let start = offset
        buffer.removeAll(keepingCapacity: true)
        ZipRecords.appendLocalHeader(local, to: &buffer)
        try emitBuffer()
        names.insert(name)
        open = OpenEntry(local: local, offset: start, deflater: deflater)
    }

    /// Appends `bytes` to the open entry. Any number of calls, of any size.
    public func write(_ bytes: some Collection<UInt8>) throws {
        try checkWritable()
        guard open != nil else { throw ZipError.noOpenEntry }
        let done: Void? = try bytes.withContiguousStorageIfAvailable { try writeContiguous($0) }
        if done != nil { return }
        // Not contiguous (a lazy sequence, a ring buffer): copy one piece at a time.
        var piece: [UInt8] = []
        piece.reserveCapacity(Self.chunkSize)
        var start = bytes.startIndex
        while start != bytes.endIndex {
            let end = bytes.index(start, offsetBy: Self.chunkSize, limitedBy: bytes.endIndex) ?? bytes.endIndex
            piece.removeAll(keepingCapacity: true)
            piece.append(contentsOf: bytes[start..<end])
            bufferHighWater = max(bufferHighWater, piece.capacity)
            try piece.withUnsafeBufferPointer { try writeContiguous($0) }
            start = end
        }
    }

    /// Ends the open entry: flushes the compressor and writes the data descriptor.
    public func finishEntry() throws {
        try checkWritable()
        guard var entry = open else { throw ZipError.noOpenEntry }
        if let deflater = entry.deflater {
            buffer.removeAll(keepingCapacity: true)
            try fail {
                try deflater.stream.deflate(UnsafeBufferPointer(start: nil, count: 0), flush: Z_FINISH, into: &buffer)
            }
            entry.compressedSize += UInt64(buffer.count)
            try emitBuffer()
            entry.deflater = nil
        }
        let zip64 =
            entry.local.zip64 || entry.compressedSize >= limits.zip64Threshold
            || entry.uncompressedSize >= limits.zip64Threshold
        buffer.removeAll(keepingCapacity: true)
        ZipRecords.appendDataDescriptor(
            crc: entry.crc, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize,
            zip64: zip64, to: &buffer)
        try emitBuffer()
        entries.append(
            ZipRecords.CentralEntry(
                local: entry.local, crc: entry.crc, compressedSize: entry.compressedSize,
                uncompressedSize: entry.uncompressedSize, offset: entry.offset))
        open = nil
    }

    /// Writes a whole entry at once.
    public func addEntry(
        name: String, data: some Collection<UInt8>, modified: Date = Date(), method: Method = .deflate
    ) throws {
        try startEntry(name: name, modified: modified, method: method)
        try write(data)
        try finishEntry()
    }

    /// Writes the central directory and end records. The archive is complete when this returns; the
    /// writer accepts nothing more.
    public func finish() throws {
        try checkWritable()
        guard open == nil else { throw ZipError.entryAlreadyOpen }
        let directoryOffset = offset
        buffer.removeAll(keepingCapacity: true)
        for entry in entries {
            ZipRecords.appendCentralHeader(entry, threshold: limits.zip64Threshold, to: &buffer)
            // Batch small headers into fewer sink calls, but never hold the whole directory.
            if buffer.count >= Self.chunkSize { try emitBuffer() }
        }
        try emitBuffer()
        let directorySize = offset - directoryOffset

        let count = entries.count
        let zip64 =
            count >= limits.zip64EntryThreshold || directoryOffset >= limits.zip64Threshold
            || directorySize >= limits.zip64Threshold
        if zip64 {
            ZipRecords.appendZip64End(
                entries: UInt64(count), directorySize: directorySize, directoryOffset: directoryOffset,
                at: offset, to: &buffer)
        }
        func field32(_ value: UInt64) -> UInt32 {
            value < limits.zip64Threshold ? UInt32(truncatingIfNeeded: value) : ZipRecords.marker32
        }
        ZipRecords.appendEnd(
            entries: count < limits.zip64EntryThreshold ? UInt16(truncatingIfNeeded: count) : ZipRecords.marker16,
            directorySize: field32(directorySize), directoryOffset: field32(directoryOffset), to: &buffer)
        try emitBuffer()
        state = .finished
        entries = []
        names = []
    }

    // MARK: - Internals

    private func checkWritable() throws(ZipError) {
        switch state {
        case .writing: return
        case .finished: throw .archiveFinished
        case .failed: throw .writerFailed
        }
    }

    /// CRC and compress (or copy) `input`, one chunk at a time so the output buffer stays small.
    private func writeContiguous(_ input: UnsafeBufferPointer<UInt8>) throws {
        guard var entry = open else { throw ZipError.noOpenEntry }
        var start = 0
        while start < input.count {
            let end = min(start + Self.chunkSize, input.count)
            let piece = UnsafeBufferPointer(rebasing: input[start..<end])
            entry.crc = CRC32.checksum(piece, seed: entry.crc)
            entry.uncompressedSize += UInt64(piece.count)
            if let deflater = entry.deflater {
                buffer.removeAll(keepingCapacity: true)
                try fail { try deflater.stream.deflate(piece, flush: Z_NO_FLUSH, into: &buffer) }
                entry.compressedSize += UInt64(buffer.count)
                try emitBuffer()
            } else {
                try emit(UnsafeRawBufferPointer(piece))
                entry.compressedSize += UInt64(piece.count)
            }
            start = end
        }
        open = entry
    }

    private func emitBuffer() throws {
        bufferHighWater = max(bufferHighWater, buffer.capacity)
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try emit($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        try fail { try sink(bytes) }
        offset += UInt64(bytes.count)
    }

    /// Runs `body`; if it throws, the archive is incomplete and the writer refuses further calls.
    private func fail<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            state = .failed
            throw error
        }
    }
}

@available(*, unavailable, message: "a ZipWriter belongs to one producer")
extension ZipWriter: Sendable {}

/// One raw-deflate stream (windowBits -15, as ZIP requires) for one entry; a class so the writer can
/// hold the noncopyable z_stream in an optional and drop it when the entry ends.
private final class Deflater {
    let stream: ZStream

    init(level: Int32) throws {
        stream = try ZStream(deflate: .raw, level: level)
    }
}
