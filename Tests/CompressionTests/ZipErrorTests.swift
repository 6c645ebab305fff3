import Foundation
import Testing

@testable import Compression

/// Calls the writer must refuse, and what state they leave it in.
struct ZipErrorTests {
    /// Collects a writer's output in memory, for tests that only look at errors and bytes.
    final class Collected {
        var bytes: [UInt8] = []
    }

    static func writer(limits: ZipWriter.Limits = ZipWriter.Limits()) -> (ZipWriter, Collected) {
        let collected = Collected()
        return (ZipWriter(limits: limits) { collected.bytes += $0 }, collected)
    }

    @Test(arguments: [
        "", "/etc/passwd", "../escape.txt", "a/../../b", "a/./b", ".", "..", "nul\u{0}.txt", "win\\dir\\x.txt",
        "C:/Windows/x", "c:x", "a//b", "trailing/", "/",
    ])
    func invalidNamesAreRefused(_ name: String) throws {
        let (zip, _) = Self.writer()
        #expect {
            try zip.startEntry(name: name)
        } throws: { error in
            guard case .invalidName(let refused, _) = error as? ZipError else { return false }
            return refused == name
        }
        // Refusing a name writes nothing and leaves the writer usable.
        try zip.addEntry(name: "ok.txt", data: [1])
        try zip.finish()
    }

    @Test func validNamesAreAccepted() throws {
        let (zip, _) = Self.writer()
        for name in ["a.txt", "dir/sub/b.json", "..hidden", "a..b", "Lisboa-à-noite.txt", "東京.ics", "x/:y"] {
            try zip.addEntry(name: name, data: [])
        }
        try zip.finish()
    }

    @Test func nameLongerThanTheFieldIsRefused() {
        let (zip, _) = Self.writer()
        #expect(throws: ZipError.self) { try zip.startEntry(name: String(repeating: "a", count: 65_536)) }
    }

    @Test func duplicateNamesAreRefused() throws {
        let (zip, _) = Self.writer()
        try zip.addEntry(name: "trip.json", data: [1])
        #expect(throws: ZipError.duplicateName("trip.json")) { try zip.addEntry(name: "trip.json", data: [2]) }
        // Canonically equivalent spellings (NFC "à" vs "a" + combining grave) extract to the same file on
        // macOS, so they count as duplicates too.
        try zip.addEntry(name: "Lisboa-\u{E0}.txt", data: [])
        #expect(throws: ZipError.duplicateName("Lisboa-a\u{300}.txt")) {
            try zip.addEntry(name: "Lisboa-a\u{300}.txt", data: [])
        }
        try zip.finish()
    }

    @Test func everyCallAfterFinishIsRefused() throws {
        let (zip, collected) = Self.writer()
        try zip.addEntry(name: "a.txt", data: [1])
        try zip.finish()
        let size = collected.bytes.count
        #expect(throws: ZipError.archiveFinished) { try zip.startEntry(name: "b.txt") }
        #expect(throws: ZipError.archiveFinished) { try zip.write([1, 2, 3]) }
        #expect(throws: ZipError.archiveFinished) { try zip.finishEntry() }
        #expect(throws: ZipError.archiveFinished) { try zip.finish() }
        #expect(collected.bytes.count == size)
    }

    @Test func entryStateIsChecked() throws {
        let (zip, _) = Self.writer()
        #expect(throws: ZipError.noOpenEntry) { try zip.write([1]) }
        #expect(throws: ZipError.noOpenEntry) { try zip.finishEntry() }
        try zip.startEntry(name: "a.txt")
        #expect(throws: ZipError.entryAlreadyOpen) { try zip.startEntry(name: "b.txt") }
        #expect(throws: ZipError.entryAlreadyOpen) { try zip.finish() }
        try zip.finishEntry()
        try zip.finish()
    }

    @Test func tooManyEntries() throws {
        let (zip, _) = Self.writer(limits: ZipWriter.Limits(maxEntries: 3))
        for i in 0..<3 { try zip.addEntry(name: "\(i)", data: []) }
        #expect(throws: ZipError.tooManyEntries(limit: 3)) { try zip.addEntry(name: "3", data: []) }
        try zip.finish()
    }

    struct DiskFull: Error {}

    @Test func aSinkErrorFailsTheWriter() throws {
        var calls = 0
        let zip = ZipWriter { _ in
            calls += 1
            if calls == 2 { throw DiskFull() }
        }
        try zip.startEntry(name: "a.txt", method: .store)
        #expect(throws: DiskFull.self) { try zip.write([1, 2, 3]) }
        #expect(throws: ZipError.writerFailed) { try zip.write([4]) }
        #expect(throws: ZipError.writerFailed) { try zip.finish() }
    }
}
