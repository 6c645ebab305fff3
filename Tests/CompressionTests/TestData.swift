import Compression
import Foundation

/// Deterministic inputs: a seeded generator keeps failures reproducible and fills megabytes quickly.
enum TestData {
    /// Incompressible bytes from SplitMix64.
    static func random(count: Int, seed: UInt64 = 0x5EED) -> [UInt8] {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { raw in
            var i = 0
            while i < raw.count {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                for k in 0..<min(8, raw.count - i) { raw[i + k] = UInt8(truncatingIfNeeded: z >> (8 * k)) }
                i += 8
            }
        }
        return bytes
    }

    /// JSON-like text that compresses well but is not a single repeated byte.
    static func compressible(count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 128)
        var n = 0
        while bytes.count < count {
            bytes += Array(#"{"id":\#(n),"name":"Stop \#(n % 97)","city":"Lisbon","visited":\#(n % 3 == 0)},"#.utf8)
            n += 1
        }
        return Array(bytes.prefix(count))
    }
}

/// Runs the system `gzip` binary with `arguments` on `input` (written to a temp file) and returns stdout.
enum SystemGzip {
    static let path: String? = ["/usr/bin/gzip", "/bin/gzip", "/opt/homebrew/bin/gzip"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static var isAvailable: Bool { path != nil }

    struct Failed: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "gzip exited \(status): \(stderr)" }
    }

    static func run(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("compression-\(UUID().uuidString)")
        try Data(input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "gzip")
        process.arguments = arguments + [file.path]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting: output larger than the pipe buffer would otherwise deadlock.
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(status: process.terminationStatus, stderr: String(decoding: errors, as: UTF8.self))
        }
        return [UInt8](data)
    }
}

/// Byte arrays compared in full but printed as size and CRC-32, so a failure does not dump megabytes.
struct Bytes: Equatable, CustomStringConvertible {
    let value: [UInt8]

    init(_ value: [UInt8]) { self.value = value }

    var description: String {
        "\(value.count) bytes, CRC-32 \(String(CRC32.checksum(value), radix: 16))"
    }
}
