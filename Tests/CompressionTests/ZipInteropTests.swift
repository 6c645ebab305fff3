import Foundation
import Testing

@testable import Compression

/// Archives the writer produces must pass `unzip -t` and read back exactly through Python's `zipfile`.
@Suite(.enabled(if: ZipReaders.isAvailable, "needs unzip and python3"))
struct ZipInteropTests {
    /// 2024-07-14T09:26:53Z: stored to two seconds, so it reads back as 09:26:52.
    static let modified = Date(timeIntervalSince1970: 1_720_949_213)
    static let modifiedTuple = [2024, 7, 14, 9, 26, 52]

    /// Asserts both readers accept the archive and find exactly `expected`; returns Python's report.
    @discardableResult
    static func expectReadable(
        _ archive: borrowing TempArchive, _ expected: [ZipReaders.Expected],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ZipReaders.PythonReport? {
        let unzip = try ZipReaders.unzipTest(archive.url)
        if expected.isEmpty {
            // Info-ZIP reports a valid empty archive as a warning (status 1), not an error.
            #expect(unzip.status == 1, sourceLocation: sourceLocation)
            #expect(unzip.stdout.contains("zipfile is empty"), "\(unzip.stdout)", sourceLocation: sourceLocation)
        } else {
            #expect(unzip.status == 0, "\(unzip.stdout.suffix(2000)) \(unzip.stderr)", sourceLocation: sourceLocation)
            #expect(unzip.stdout.contains("No errors detected"), sourceLocation: sourceLocation)
        }
        let (python, report) = try ZipReaders.pythonCheck(archive.url, expected: expected)
        #expect(python.status == 0, "\(python.stderr)", sourceLocation: sourceLocation)
        #expect(report?.entries == expected.count, sourceLocation: sourceLocation)
        return report
    }

    @Test func emptyArchive() throws {
        let archive = try TempArchive { try $0.finish() }
        #expect(archive.bytes.count == 22)  // the end record alone
        try Self.expectReadable(archive, [])
    }

    @Test(arguments: [ZipWriter.Method.store, .deflate])
    func oneEntry(_ method: ZipWriter.Method) throws {
        let data = Array(#"{"trip":"Lisbon","days":4}"#.utf8)
        let archive = try TempArchive { zip in
            try zip.addEntry(name: "trip.json", data: data, modified: Self.modified, method: method)
            try zip.finish()
        }
        let report = try Self.expectReadable(
            archive, [.init(name: "trip.json", data: data, dateTime: Self.modifiedTuple)])
        #expect(report?.descriptorWidths == [4])
        #expect(report?.zip64EndRecord == false)
    }

    @Test func emptyFileEntries() throws {
        let archive = try TempArchive { zip in
            try zip.addEntry(name: "empty.txt", data: [], method: .store)
            try zip.addEntry(name: "empty.csv", data: [], method: .deflate)
            try zip.finish()
        }
        try Self.expectReadable(archive, [.init(name: "empty.txt", data: []), .init(name: "empty.csv", data: [])])
    }

    @Test func thousandEntries() throws {
        let entries = (0..<1000).map { i in
            (name: "stops/\(i).json", data: Array(#"{"stop":\#(i),"city":"Porto"}"#.utf8))
        }
        let archive = try TempArchive { zip in
            for (i, entry) in entries.enumerated() {
                try zip.addEntry(name: entry.name, data: entry.data, method: i % 2 == 0 ? .deflate : .store)
            }
            try zip.finish()
        }
        try Self.expectReadable(archive, entries.map { .init(name: $0.name, data: $0.data) })
    }

    @Test func twentyMegabytesInChunks() throws {
        let data = TestData.compressible(count: 20 << 20)
        let archive = try TempArchive { zip in
            try zip.startEntry(name: "export/trips.json", modified: Self.modified)
            for start in stride(from: 0, to: data.count, by: 64 << 10) {
                try zip.write(data[start..<min(start + (64 << 10), data.count)])
            }
            try zip.finishEntry()
            try zip.finish()
        }
        #expect(archive.bytes.count < data.count / 5)  // it really was deflated
        try Self.expectReadable(archive, [.init(name: "export/trips.json", data: data, keepContents: false)])
    }

    @Test func nonASCIINames() throws {
        let files = [
            (name: "Lisboa-à-noite.txt", data: Array("Fado no Bairro Alto".utf8)),
            (name: "東京.ics", data: Array("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".utf8)),
        ]
        let archive = try TempArchive { zip in
            for file in files { try zip.addEntry(name: file.name, data: file.data) }
            try zip.finish()
        }
        try Self.expectReadable(archive, files.map { .init(name: $0.name, data: $0.data) })
    }

    @Test func nonContiguousInputIsWrittenInOrder() throws {
        let data = TestData.random(count: 200_000)
        let archive = try TempArchive { zip in
            try zip.startEntry(name: "track.gpx")
            // A lazy map has no contiguous storage: the writer must copy it piece by piece.
            try zip.write(data.lazy.map { $0 })
            try zip.finishEntry()
            try zip.finish()
        }
        try Self.expectReadable(archive, [.init(name: "track.gpx", data: data, keepContents: false)])
    }
}
