import Foundation
import HTTP
import Testing

@testable import Export

extension ObjectStoreTests {
    /// `S3ObjectStore` against a real SeaweedFS (see `SeaweedFS`): the wire format, SigV4 and multipart
    /// as a real S3 implementation checks them. Each test works under its own key prefix.
    @Suite struct S3ObjectStoreTests {
        let server: SeaweedFS
        let store: S3ObjectStore
        let prefix = "t-\(UUID().uuidString.lowercased())/"

        init() throws {
            server = try SeaweedFS.shared()
            store = try S3ObjectStore(configuration: server.configuration())
        }

        static let allBytes = (0...255).map { UInt8($0) } + (0...255).reversed().map { UInt8($0) }

        @Test func putGetHeadDeleteRoundTripKeepsBytesAndType() throws {
            let key = prefix + "exports/trip 1/Ré*sumé.pdf"
            try store.put(key: key, body: Self.allBytes, contentType: "application/pdf")
            let object = try store.get(key: key)
            #expect(object.body == Self.allBytes)
            #expect(object.info.contentType == "application/pdf")
            let info = try store.head(key: key)
            #expect(info.size == Self.allBytes.count)
            #expect(info.contentType == "application/pdf")
            #expect(try store.exists(key: key))
            try store.delete(key: key)
            #expect(try !store.exists(key: key))
        }

        @Test func missingKeyIsNotFoundAndDeletingItSucceeds() throws {
            let key = prefix + "missing.zip"
            #expect(throws: ObjectStoreError.notFound(key: key)) { try store.get(key: key) }
            #expect(throws: ObjectStoreError.notFound(key: key)) { try store.head(key: key) }
            try store.delete(key: key)
        }

        @Test func invalidKeysAreRefusedBeforeAnyRequest() {
            for key in ["", "/abs", "a/../b", "a//b", "tab\there", "dir/", String(repeating: "k", count: 1025)] {
                #expect(throws: ObjectStoreError.self) { try store.put(key: key, body: [1], contentType: "text/plain") }
            }
        }

        @Test func multipartUploadOfTwelveMiBEqualsTheConcatenatedChunks() throws {
            var configuration = server.configuration()
            configuration.multipartThreshold = S3Configuration.minimumPartSize
            configuration.partSize = S3Configuration.minimumPartSize
            let store = try S3ObjectStore(configuration: configuration)
            let chunks = (0..<12).map { index in
                [UInt8](repeating: UInt8(index), count: 1024 * 1024 - 7) + Self.allBytes
            }
            let key = prefix + "big.zip"
            try store.upload(key: key, contentType: "application/zip", parts: chunks)
            let object = try store.get(key: key)
            #expect(object.body.count == chunks.reduce(0) { $0 + $1.count })
            #expect(object.body == chunks.flatMap { $0 })
            #expect(object.info.contentType == "application/zip")
            // A multipart ETag is "<md5 of the part md5s>-<part count>": three parts of 5, 5 and ~2 MiB.
            #expect(object.info.etag?.hasSuffix("-3\"") == true)
        }

        @Test func smallStreamedObjectGoesUpInOnePut() throws {
            let key = prefix + "small.csv"
            try store.upload(key: key, contentType: "text/csv", parts: [Array("a,b\n".utf8), Array("1,2\n".utf8)])
            let object = try store.get(key: key)
            #expect(object.body == Array("a,b\n1,2\n".utf8))
            #expect(object.info.etag?.contains("-") == false)
        }

        @Test func abortedMultipartUploadLeavesNoObjectAndNoUpload() throws {
            var configuration = server.configuration()
            configuration.multipartThreshold = S3Configuration.minimumPartSize
            configuration.partSize = S3Configuration.minimumPartSize
            let store = try S3ObjectStore(configuration: configuration)
            let key = prefix + "aborted.zip"
            let writer = try store.makeWriter(key: key, contentType: "application/zip")
            try writer.write([UInt8](repeating: 7, count: 6 * 1024 * 1024))  // starts the upload, sends part 1
            #expect(try incompleteUploads(under: prefix) == [key])
            writer.abort()
            #expect(try !store.exists(key: key))
            #expect(try incompleteUploads(under: prefix).isEmpty)
        }

        @Test func presignedURLDownloadsWithCurlAsAnAttachment() throws {
            let key = prefix + "report.pdf"
            try store.put(key: key, body: Self.allBytes, contentType: "application/pdf")
            let url = try store.downloadURL(
                key: key, expiresIn: .seconds(300), filename: "Trip to Zürich.pdf", contentType: nil)
            let download = try CurlDownload.fetch(url)
            #expect(download.status == 200)
            #expect(download.body == Self.allBytes)
            let disposition = download.headers.lowercased()
            #expect(disposition.contains("content-disposition: attachment; filename=\"trip to z_rich.pdf\""))
        }

        @Test func tamperedSignatureDifferentKeyAndExpiredURLsAreRefused() throws {
            let key = prefix + "a.pdf"
            let other = prefix + "b.pdf"
            try store.put(key: key, body: [1, 2, 3], contentType: "application/pdf")
            try store.put(key: other, body: [4, 5, 6], contentType: "application/pdf")
            let url = try store.downloadURL(key: key, expiresIn: .seconds(300), filename: "a.pdf", contentType: nil)
            #expect(try CurlDownload.fetch(url).status == 200)

            let last = url.last == "0" ? "1" : "0"
            #expect(try CurlDownload.fetch(String(url.dropLast()) + last).status == 403)
            let otherKeyURL = url.replacingOccurrences(of: "/a.pdf?", with: "/b.pdf?")
            #expect(otherKeyURL != url)
            #expect(try CurlDownload.fetch(otherKeyURL).status == 403)

            let shortLived = try store.downloadURL(
                key: key, expiresIn: .seconds(1), filename: "a.pdf", contentType: nil)
            #expect(shortLived.contains("X-Amz-Expires=1&"))
            Thread.sleep(forTimeInterval: 2.1)
            #expect(try CurlDownload.fetch(shortLived).status == 403)
        }

        @Test func wrongSecretIsDenied() throws {
            let intruder = try S3ObjectStore(configuration: server.configuration(secret: "not-the-secret"))
            let key = prefix + "denied.txt"
            #expect {
                try intruder.put(key: key, body: [1], contentType: "text/plain")
            } throws: { error in
                guard case .denied(let reason) = error as? ObjectStoreError else { return false }
                return reason.contains("403")
            }
            #expect(try !store.exists(key: key))
        }

        /// `<bucket>.localhost` does not resolve on this machine (no nss-myhostname), so the store's own
        /// client cannot reach it; curl sends the very request the store signed, with `--resolve`.
        @Test func virtualHostRequestsAreSignedForTheBucketSubdomain() throws {
            var configuration = server.configuration()
            configuration.endpoint = "http://localhost:\(server.s3Port)"
            configuration.addressingStyle = .virtualHost
            let virtual = try S3ObjectStore(configuration: configuration)
            let host = "\(SeaweedFS.bucket).localhost:\(server.s3Port)"
            let key = prefix + "virtual host.txt"
            let encodedKey = prefix + "virtual%20host.txt"

            let body = Array("sent to the bucket subdomain".utf8)
            let request = try virtual.signedRequest(
                .put, key: key, headers: [("Content-Type", "text/plain")], body: body)
            #expect(request.url.host == "\(SeaweedFS.bucket).localhost")
            #expect(request.url.target == "/" + encodedKey)
            let bodyFile = NSTemporaryDirectory() + UUID().uuidString
            try Data(body).write(to: URL(fileURLWithPath: bodyFile))
            defer { try? FileManager.default.removeItem(atPath: bodyFile) }
            let put = try CurlDownload.fetch(
                "http://\(host)\(request.url.target)", resolve: host, method: "PUT",
                headers: request.headers.map { ($0.name, $0.value) }, bodyFile: bodyFile)
            #expect(put.status == 200)
            #expect(try store.get(key: key).body == body)  // landed in the bucket, read back path-style

            let url = try virtual.downloadURL(
                key: key, expiresIn: .seconds(60), filename: "v.txt", contentType: "text/plain")
            #expect(url.hasPrefix("http://\(host)/\(encodedKey)?"))
            let download = try CurlDownload.fetch(url, resolve: host)
            #expect(download.status == 200)
            #expect(download.body == body)
        }

        /// The keys of the bucket's incomplete multipart uploads under `prefix` (ListMultipartUploads).
        private func incompleteUploads(under prefix: String) throws -> [String] {
            let response = try store.send(.get, key: nil, query: [("uploads", ""), ("prefix", prefix)])
            try store.expectSuccess(response, key: prefix)
            return S3XML.values(of: "Key", in: response.body)
        }
    }
}
