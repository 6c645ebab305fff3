import Foundation
import Synchronization
import Testing

@testable import Compression

/// Independent readers for the archives the writer produces: Info-ZIP `unzip` and Python's `zipfile`.
enum ZipReaders {
    static let unzipPath: String? = ["/usr/bin/unzip", "/bin/unzip", "/opt/homebrew/bin/unzip"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let envPath = "/usr/bin/env"

    static var isAvailable: Bool { unzipPath != nil && FileManager.default.isExecutableFile(atPath: envPath) }

    struct Output {
        let status: Int32
        let stdoutBytes: [UInt8]
        let stderr: String

        var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    }

    /// What an entry must read back as. `contents` is compared in full when given; large entries are
    /// compared by size and CRC-32 (computed here from the input, by zlib).
    struct Expected {
        let name: String
        let size: Int
        let crc: UInt32
        let contents: [UInt8]?
        /// The expected DOS date_time tuple (year, month, day, hour, minute, second), when checked.
        let dateTime: [Int]?

        init(name: String, data: [UInt8], keepContents: Bool = true, dateTime: [Int]? = nil) {
            self.name = name
            self.size = data.count
            self.crc = CRC32.checksum(data)
            self.contents = keepContents ? data : nil
            self.dateTime = dateTime
        }
    }

    /// What the Python check found, for assertions beyond "it passed".
    struct PythonReport: Decodable {
        let entries: Int
        /// Per entry, 4 or 8: the width of the sizes in the data descriptor that follows its data.
        let descriptorWidths: [Int]
        let zip64EndRecord: Bool
    }

    /// `unzip -t -q`: exit 0 means every entry's data inflated and matched its CRC and sizes.
    static func unzipTest(_ archive: URL) throws -> Output {
        try run(unzipPath ?? "unzip", ["-t", archive.path])
    }

    /// Opens the archive with `zipfile`, runs `testzip()`, and compares names, order, contents, attributes
    /// and timestamps with `expected`. It also walks the local headers and data descriptors by hand, which
    /// `zipfile` itself never reads, and checks each descriptor ends exactly where the next record starts.
    static func pythonCheck(_ archive: URL, expected: [Expected]) throws -> (Output, PythonReport?) {
        let manifest = archive.appendingPathExtension("json")
        let json: [[String: Any]] = expected.map { entry in
            var item: [String: Any] = ["name": entry.name, "size": entry.size, "crc": Int(entry.crc)]
            if let contents = entry.contents { item["hex"] = contents.map { String(format: "%02x", $0) }.joined() }
            if let dateTime = entry.dateTime { item["date_time"] = dateTime }
            return item
        }
        try JSONSerialization.data(withJSONObject: json).write(to: manifest)
        defer { try? FileManager.default.removeItem(at: manifest) }
        let output = try run(envPath, ["python3", "-c", pythonScript, archive.path, manifest.path])
        let report = try? JSONDecoder().decode(PythonReport.self, from: Data(output.stdout.utf8))
        return (output, report)
    }

    private static let pythonScript = #"""
        import json, struct, sys, zipfile, zlib
        path, manifest = sys.argv[1], json.load(open(sys.argv[2]))
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            assert bad is None, f"testzip: {bad}"
            assert z.comment == b"", f"comment {z.comment!r}"
            infos = z.infolist()
            names = [i.filename for i in infos]
            want = [e["name"] for e in manifest]
            assert names == want, f"names {names[:3]}... != {want[:3]}... ({len(names)} vs {len(want)})"
            for e, i in zip(manifest, infos):
                assert i.flag_bits & 0x0808 == 0x0808, f"{i.filename}: flags {i.flag_bits:#x}"
                assert i.create_system == 3, f"{i.filename}: made by {i.create_system}"
                assert i.external_attr >> 16 == 0o100644, f"{i.filename}: mode {i.external_attr >> 16:o}"
                if "date_time" in e:
                    assert list(i.date_time) == e["date_time"], f"{i.filename}: {i.date_time}"
                crc, size, data = 0, 0, bytearray()
                with z.open(i) as f:
                    while chunk := f.read(1 << 20):
                        crc = zlib.crc32(chunk, crc)
                        size += len(chunk)
                        if "hex" in e:
                            data += chunk
                assert (size, crc) == (e["size"], e["crc"]), f"{i.filename}: {size} {crc} != {e['size']} {e['crc']}"
                if "hex" in e:
                    assert data.hex() == e["hex"], f"{i.filename}: contents differ"
            start_dir = z.start_dir
        raw = open(path, "rb").read()
        offsets = sorted(i.header_offset for i in infos) + [start_dir]
        following = dict(zip(offsets, offsets[1:]))
        widths = []
        for i in infos:
            sig, = struct.unpack_from("<I", raw, i.header_offset)
            assert sig == 0x04034B50, f"{i.filename}: no local header at {i.header_offset}"
            n, m = struct.unpack_from("<HH", raw, i.header_offset + 26)
            assert raw[i.header_offset + 30:i.header_offset + 30 + n] == i.filename.encode(), i.filename
            at = i.header_offset + 30 + n + m + i.compress_size
            sig, crc = struct.unpack_from("<II", raw, at)
            assert (sig, crc) == (0x08074B50, i.CRC), f"{i.filename}: descriptor at {at}"
            nxt = following[i.header_offset]
            if nxt - at == 24 and struct.unpack_from("<QQ", raw, at + 8) == (i.compress_size, i.file_size):
                widths.append(8)
            elif nxt - at == 16 and struct.unpack_from("<II", raw, at + 8) == (i.compress_size, i.file_size):
                widths.append(4)
            else:
                raise AssertionError(f"{i.filename}: descriptor does not match or does not end at {nxt}")
        tail = raw[-22 - 20:-22]
        print(json.dumps({"entries": len(infos), "descriptorWidths": widths,
                          "zip64EndRecord": tail[:4] == b"PK\x06\x07"}))
        """#

    static func run(_ executable: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain stderr concurrently: either pipe filling up would otherwise block the child.
        let errors = ErrorDrain(err.fileHandleForReading)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdoutBytes: [UInt8](data), stderr: errors.wait())
    }

    /// Reads a pipe to its end on another thread.
    private final class ErrorDrain: Sendable {
        private let group = DispatchGroup()
        private let result = Mutex<Data>(Data())

        init(_ handle: FileHandle) {
            group.enter()
            DispatchQueue.global().async { [self] in
                let data = handle.readDataToEndOfFile()
                result.withLock { $0 = data }
                group.leave()
            }
        }

        func wait() -> String {
            group.wait()
            return result.withLock { String(decoding: $0, as: UTF8.self) }
        }
    }
}

/// An archive written to a temporary file through a `ZipWriter`, removed when the test is done with it.
struct TempArchive: ~Copyable {
    /// No test archive comes near this; a broken writer that repeats its output would otherwise fill the
    /// disk that other builds share.
    static let maxBytes = 256 << 20

    struct TooLarge: Error {}

    let url: URL

    init(limits: ZipWriter.Limits = ZipWriter.Limits(), _ build: (ZipWriter) throws -> Void) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("zipwriter-\(UUID().uuidString).zip")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            var written = 0
            let writer = ZipWriter(limits: limits) { bytes in
                written += bytes.count
                guard written <= Self.maxBytes else { throw TooLarge() }
                try handle.write(contentsOf: Data(bytes))
            }
            try build(writer)
        } catch {
            // deinit does not run for a value that was never returned: remove the file here.
            try? FileManager.default.removeItem(at: url)
            throw error
        }
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    var bytes: [UInt8] { (try? [UInt8](Data(contentsOf: url))) ?? [] }
}
