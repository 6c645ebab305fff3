import Foundation
import Testing

@testable import Export

extension ObjectStoreTests {
    /// `LocalObjectStore`: the same contract as S3 on a temporary directory, atomic publication, and the
    /// HMAC-signed download links.
    @Suite final class LocalObjectStoreTests {
        let directory = NSTemporaryDirectory() + "local-object-store-" + UUID().uuidString
        let store: LocalObjectStore
        static let signingKey = [UInt8](repeating: 0x5A, count: 32)
        static let allBytes = (0...255).map { UInt8($0) }

        init() throws {
            store = try LocalObjectStore(
                directory: directory, publicBaseURL: "https://api.example.test/", signingKey: Self.signingKey)
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        private func temporaryFiles() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory)
        }

        @Test func putGetHeadDeleteRoundTripKeepsBytesAndType() throws {
            let key = "exports/trip 1/Ré*sumé.pdf"
            try store.put(key: key, body: Self.allBytes, contentType: "application/pdf")
            let object = try store.get(key: key)
            #expect(object.body == Self.allBytes)
            #expect(object.info.contentType == "application/pdf")
            #expect(try store.head(key: key) == ObjectInfo(size: 256, contentType: "application/pdf"))
            #expect(try store.exists(key: key))
            try store.delete(key: key)
            #expect(try !store.exists(key: key))
            #expect(try temporaryFiles().isEmpty)
        }

        @Test func missingKeyIsNotFoundAndDeletingItSucceeds() throws {
            #expect(throws: ObjectStoreError.notFound(key: "nothing.zip")) { try store.get(key: "nothing.zip") }
            #expect(throws: ObjectStoreError.notFound(key: "nothing.zip")) { try store.head(key: "nothing.zip") }
            try store.delete(key: "nothing.zip")
            // A prefix of stored keys is a directory here, not an object.
            try store.put(key: "dir/file", body: [1], contentType: "text/plain")
            #expect(throws: ObjectStoreError.notFound(key: "dir")) { try store.get(key: "dir") }
        }

        @Test func keysThatWouldEscapeTheDirectoryAreRefused() throws {
            for key in ["../outside", "a/../../b", "/etc/passwd", "a//b", "./a", "a\\b", "nul\u{0}", "new\nline"] {
                #expect(throws: ObjectStoreError.self) { try store.put(key: key, body: [1], contentType: "text/plain") }
            }
            #expect(!FileManager.default.fileExists(atPath: directory + "/outside"))
        }

        @Test func writerPublishesOnlyOnFinishAndReplacesAtomically() throws {
            let key = "exports/trip.zip"
            try store.put(key: key, body: [1, 1, 1], contentType: "application/zip")
            let writer = try store.makeWriter(key: key, contentType: "application/zip")
            try writer.write([2, 2])
            try writer.write([2, 2, 2])
            // Until finish, readers see the old object, and the new one exists only as a temporary file.
            #expect(try store.get(key: key).body == [1, 1, 1])
            #expect(try temporaryFiles().count == 1)
            try writer.finish()
            #expect(try store.get(key: key).body == [2, 2, 2, 2, 2])
            #expect(try temporaryFiles().isEmpty)
            #expect(throws: ObjectStoreError.self) { try writer.write([3]) }
        }

        @Test func abortedWriterLeavesTheOldObjectAndNoTemporaryFile() throws {
            try store.put(key: "kept.csv", body: [9], contentType: "text/csv")
            let writer = try store.makeWriter(key: "kept.csv", contentType: "text/csv")
            try writer.write([UInt8](repeating: 0, count: 100_000))
            writer.abort()
            #expect(try store.get(key: "kept.csv").body == [9])
            #expect(try temporaryFiles().isEmpty)

            try store.upload(key: "streamed.csv", contentType: "text/csv", parts: [[1], [2, 3], [], [4]])
            #expect(try store.get(key: "streamed.csv").body == [1, 2, 3, 4])
        }

        // MARK: - Download links

        /// The parts of a link as the download route will decode them.
        private func parse(_ url: String) throws -> (key: String, expires: Int, filename: String, signature: String) {
            let components = try #require(URLComponents(string: url))
            let prefix = "/v1/downloads/"
            #expect(components.path.hasPrefix(prefix))
            let items = Dictionary(
                uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            return (
                String(components.path.dropFirst(prefix.count)), try #require(items["expires"].flatMap { Int($0) }),
                try #require(items["filename"]), try #require(items["sig"])
            )
        }

        @Test func downloadLinkVerifiesOnlyUnchangedAndUnexpired() throws {
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let url = try store.downloadURL(
                key: "exports/trip 1.pdf", expiresIn: .seconds(600), filename: "Trip | Zürich.pdf", now: now)
            #expect(url.hasPrefix("https://api.example.test/v1/downloads/exports/trip%201.pdf?expires=1800000600&"))
            let link = try parse(url)
            #expect(link.key == "exports/trip 1.pdf")
            #expect(link.filename == "Trip | Zürich.pdf")
            func verify(
                key: String = link.key, expires: Int = link.expires, filename: String = link.filename,
                signature: String = link.signature, at time: Date = now
            ) -> Bool {
                store.verify(key: key, expires: expires, filename: filename, signature: signature, now: time)
            }
            #expect(verify())
            #expect(verify(at: now.addingTimeInterval(600)))  // valid through its last second
            #expect(!verify(at: now.addingTimeInterval(601)))  // expired
            #expect(!verify(key: "exports/trip 2.pdf"))
            #expect(!verify(expires: link.expires + 3600))
            #expect(!verify(filename: "other.pdf"))
            let flipped = String(link.signature.dropLast()) + (link.signature.hasSuffix("0") ? "1" : "0")
            #expect(!verify(signature: flipped))
            #expect(!verify(signature: "not hex"))
            #expect(!verify(signature: ""))
            #expect(!verify(key: "../etc/passwd"))

            let otherKey = try LocalObjectStore(
                directory: directory, publicBaseURL: "https://api.example.test",
                signingKey: [UInt8](repeating: 0x5B, count: 32))
            #expect(
                !otherKey.verify(
                    key: link.key, expires: link.expires, filename: link.filename, signature: link.signature, now: now))
        }

        @Test func separatorsInKeyAndFilenameCannotForgeAnotherLink() throws {
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            // Unencoded, key "a" + filename "2|b" and key "a|1" + filename "b" would sign the same text.
            let url = try store.downloadURL(key: "a", expiresIn: .seconds(1), filename: "2|b", now: now)
            let link = try parse(url)
            #expect(
                !store.verify(key: "a|\(link.expires)", expires: 2, filename: "b", signature: link.signature, now: now))
        }

        @Test func shortSigningKeysAndBadArgumentsAreRefused() {
            #expect(throws: ObjectStoreError.self) {
                try LocalObjectStore(directory: self.directory, publicBaseURL: "https://x", signingKey: [1, 2, 3])
            }
            #expect(throws: ObjectStoreError.self) {
                try self.store.downloadURL(key: "a", expiresIn: .seconds(60), filename: "../x", contentType: nil)
            }
            #expect(throws: ObjectStoreError.self) {
                try self.store.put(key: "a", body: [], contentType: "text/plain\r\nX-Evil: 1")
            }
        }
    }
}
