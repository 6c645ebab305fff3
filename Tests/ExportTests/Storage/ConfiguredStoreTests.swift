import Crypto
import Foundation
import Kernel
import Testing

@testable import Export

extension ObjectStoreTests {
    /// The store the server builds from its environment (`ExportModule.makeStore`), fed the way the
    /// export job feeds it (`ExportOutput`: 256 KiB parts, hashed on the way): against SeaweedFS with the
    /// `S3_*` variables, and the local directory by default. Large enough to go multipart on S3.
    @Suite struct ConfiguredStoreTests {
        static let size = 20 * 1024 * 1024 + 12_345

        /// Writes `size` bytes through an `ExportOutput` and checks the recorded size and SHA-256 against
        /// what a presigned/signed link delivers.
        func roundTrip(_ store: any ObjectStore, key: String) throws -> (sha256: String, url: String) {
            let out = try ExportOutput(writer: try store.makeWriter(key: key, contentType: "application/zip"))
            var whole: [UInt8] = []
            whole.reserveCapacity(Self.size)
            var n: UInt32 = 1
            while whole.count < Self.size {
                var chunk = [UInt8](repeating: 0, count: min(70_001, Self.size - whole.count))
                for i in chunk.indices {
                    n = n &* 1_664_525 &+ 1_013_904_223
                    chunk[i] = UInt8(truncatingIfNeeded: n >> 24)
                }
                try out.write(chunk)
                whole += chunk
            }
            let result = try out.finish()
            #expect(result.size == Self.size)
            #expect(result.sha256 == (try SHA256.hexHash(whole)))
            let url = try store.downloadURL(
                key: key, expiresIn: .seconds(60), filename: "my trip.zip", contentType: "application/zip")
            return (result.sha256, url)
        }

        @Test func s3FromTheEnvironment() throws {
            let server = try SeaweedFS.shared()
            let config = try AppConfig.load(
                from: Environment([
                    "S3_ENDPOINT": server.endpoint, "S3_BUCKET": SeaweedFS.bucket,
                    "S3_ACCESS_KEY_ID": SeaweedFS.accessKey,
                    "S3_SECRET_ACCESS_KEY": SeaweedFS.secretKey, "S3_ADDRESSING": "path",
                ]))
            #expect(config.export.store == .s3, "S3_BUCKET selects S3")
            let store = try ExportModule.makeStore(config)
            #expect(store is S3ObjectStore)
            let key = "exports/\(UUID().uuidString.lowercased())"
            let (sha256, url) = try roundTrip(store, key: key)
            let download = try CurlDownload.fetch(url)
            #expect(download.status == 200)
            #expect(try SHA256.hexHash(download.body) == sha256)
            #expect(download.headers.lowercased().contains("content-disposition: attachment"))
            try store.delete(key: key)
            #expect(try CurlDownload.fetch(url).status == 404)
        }

        @Test func localDirectoryByDefault() throws {
            let directory = NSTemporaryDirectory() + "exports-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var config = AppConfig()
            config.export.directory = directory
            config.auth.fieldEncryptionKeys = [NamedSecret(id: "1", secret: String(repeating: "k", count: 40))]
            let store = try #require(try ExportModule.makeStore(config) as? LocalObjectStore)
            let key = "exports/\(UUID().uuidString.lowercased())"
            let (sha256, url) = try roundTrip(store, key: key)
            // The link's parts verify against a store built again from the same configuration (a restart,
            // another replica): the signing key is derived, not random.
            let again = try #require(try ExportModule.makeStore(config) as? LocalObjectStore)
            let query = try #require(URLComponents(string: url)?.queryItems)
            func value(_ name: String) -> String? { query.first { $0.name == name }?.value }
            let expires = try #require(value("expires").flatMap(Int.init))
            #expect(
                again.verify(
                    key: key, expires: expires, filename: value("filename") ?? "", signature: value("sig") ?? ""))
            let reader = try #require(try again.open(key: key))
            var read: [UInt8] = []
            try reader.forEachChunk { read += $0 }
            #expect(try SHA256.hexHash(read) == sha256)
        }
    }
}
