import Foundation
import Testing

@testable import Compression

/// ZIP64 records, reached with small data by lowering the writer's thresholds: both readers must then
/// take sizes, offsets and the entry count from the ZIP64 fields, since the classic ones hold markers.
@Suite(.enabled(if: ZipReaders.isAvailable, "needs unzip and python3"))
struct Zip64Tests {
    static let forced = ZipWriter.Limits(zip64Threshold: 1000, zip64EntryThreshold: 3)

    @Test func forcedZip64SizesOffsetsAndCount() throws {
        let files = [
            (name: "small.json", data: Array("{}".utf8)),
            (name: "big.csv", data: TestData.compressible(count: 50_000)),
            (name: "random.bin", data: TestData.random(count: 3000)),
            (name: "late.kml", data: Array("<kml/>".utf8)),
        ]
        let archive = try TempArchive(limits: Self.forced) { zip in
            try zip.addEntry(name: files[0].name, data: files[0].data)
            try zip.addEntry(name: files[1].name, data: files[1].data)
            try zip.addEntry(name: files[2].name, data: files[2].data, method: .store)
            try zip.addEntry(name: files[3].name, data: files[3].data)  // small, but at an offset > threshold
            try zip.finish()
        }
        let bytes = archive.bytes
        // The classic end record's counts and directory offset are markers (its directory size, 279
        // bytes, fits), so a reader that ignored the ZIP64 record would fail.
        let end = Array(bytes.suffix(22))
        #expect(Array(end[8..<12]) == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(Array(end[16..<20]) == [0xFF, 0xFF, 0xFF, 0xFF])
        let report = try ZipInteropTests.expectReadable(archive, files.map { .init(name: $0.name, data: $0.data) })
        // big.csv and random.bin outgrow the threshold: 8-byte descriptor sizes; the others stay 4.
        #expect(report?.descriptorWidths == [4, 8, 8, 4])
        #expect(report?.zip64EndRecord == true)
    }

    @Test func localHeaderAnnouncesZip64WhenAsked() throws {
        let data = TestData.compressible(count: 10_000)
        let archive = try TempArchive { zip in
            try zip.startEntry(name: "export.json", method: .deflate, zip64: .always)
            try zip.write(data)
            try zip.finishEntry()
            try zip.startEntry(name: "tiny.txt", method: .store, zip64: .always)
            try zip.write(Array("x".utf8))
            try zip.finishEntry()
            try zip.finish()
        }
        let bytes = archive.bytes
        // Local header: version 4.5, sizes 0xFFFFFFFF, a 20-byte extra whose tag is 0x0001.
        #expect(bytes[4] == 45)
        #expect(Array(bytes[18..<26]) == [UInt8](repeating: 0xFF, count: 8))
        #expect(bytes[28] == 20 && bytes[30 + 11] == 0x01 && bytes[30 + 12] == 0x00)
        let report = try ZipInteropTests.expectReadable(
            archive, [.init(name: "export.json", data: data), .init(name: "tiny.txt", data: Array("x".utf8))])
        #expect(report?.descriptorWidths == [8, 8])
        #expect(report?.zip64EndRecord == false)
    }

    /// No injected limits: more than 65,535 entries for real.
    @Test func seventyThousandEntries() throws {
        let count = 70_000
        let archive = try TempArchive { zip in
            for i in 0..<count {
                try zip.addEntry(name: "e/\(i)", data: [UInt8(truncatingIfNeeded: i)], method: .store)
            }
            try zip.finish()
        }
        let report = try ZipInteropTests.expectReadable(
            archive, (0..<count).map { .init(name: "e/\($0)", data: [UInt8(truncatingIfNeeded: $0)]) })
        #expect(report?.zip64EndRecord == true)
    }
}
