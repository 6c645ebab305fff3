import Foundation
import Testing

@testable import Compression

/// libarchive reading from a pipe cannot seek to the central directory: it trusts the local headers and
/// finds each data descriptor after the data, which `unzip` and `zipfile` never read.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/bsdtar"), "needs bsdtar"))
struct ZipStreamingReaderTests {
    /// Pipes the archive into `bsdtar -xOf -`: every entry's contents, concatenated in order.
    static func streamExtract(_ archive: borrowing TempArchive) throws -> ZipReaders.Output {
        try ZipReaders.run("/bin/sh", ["-c", "cat \"$1\" | /usr/bin/bsdtar -xOf -", "sh", archive.url.path])
    }

    @Test func storedDeflatedAndEmptyEntries() throws {
        let json = TestData.compressible(count: 300_000)
        let pdf = TestData.random(count: 70_000)
        let ics = Array("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".utf8)
        let archive = try TempArchive { zip in
            try zip.addEntry(name: "trip.json", data: json)
            try zip.addEntry(name: "trip.pdf", data: pdf, method: .store)
            try zip.addEntry(name: "empty.csv", data: [])
            try zip.addEntry(name: "東京.ics", data: ics)
            try zip.finish()
        }
        let output = try Self.streamExtract(archive)
        #expect(output.status == 0 && output.stderr.isEmpty, "\(output.stderr)")
        #expect(Bytes(output.stdoutBytes) == Bytes(json + pdf + ics))
    }

    /// Entries whose local header announces ZIP64 (forced on small data) carry 8-byte descriptor sizes,
    /// and a streaming reader must find them there.
    @Test func zip64AnnouncedEntries() throws {
        let big = TestData.compressible(count: 50_000)
        let raw = TestData.random(count: 5000)
        let archive = try TempArchive(limits: ZipWriter.Limits(zip64Threshold: 1000)) { zip in
            try zip.startEntry(name: "big.json", zip64: .always)
            try zip.write(big)
            try zip.finishEntry()
            try zip.startEntry(name: "raw.bin", method: .store, zip64: .always)
            try zip.write(raw)
            try zip.finishEntry()
            try zip.finish()
        }
        let output = try Self.streamExtract(archive)
        #expect(output.status == 0 && output.stderr.isEmpty, "\(output.stderr)")
        #expect(Bytes(output.stdoutBytes) == Bytes(big + raw))
    }
}
