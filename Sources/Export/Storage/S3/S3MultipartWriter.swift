import HTTP

/// Streams an object to S3: buffers up to `multipartThreshold` and sends a plain `PutObject` if the
/// object ends there; past it, starts a multipart upload (CreateMultipartUpload → UploadPart per
/// `partSize` bytes → CompleteMultipartUpload) so memory stays at about one part.
///
/// Any failure aborts the upload (AbortMultipartUpload), since S3 bills and keeps uploaded parts of an
/// upload that is never completed or aborted. Not thread-safe: one writer belongs to one job.
final class S3MultipartWriter: ObjectWriter {
    private enum State {
        case buffering
        case uploading(uploadID: String)
        case ended
    }

    private let store: S3ObjectStore
    private let key: String
    private let contentType: String
    private var buffer: [UInt8] = []
    private var state = State.buffering
    /// Part numbers (from 1) and the ETags S3 returned, for CompleteMultipartUpload.
    private var parts: [(number: Int, etag: String)] = []

    init(store: S3ObjectStore, key: String, contentType: String) {
        self.store = store
        self.key = key
        self.contentType = contentType
    }

    func write(_ bytes: [UInt8]) throws(ObjectStoreError) {
        if case .ended = state { throw .invalidArgument("write after the writer ended") }
        buffer += bytes
        do {
            try flushFullParts()
        } catch {
            abort()
            throw error
        }
    }

    func finish() throws(ObjectStoreError) {
        do throws(ObjectStoreError) {
            switch state {
            case .ended:
                throw .invalidArgument("finish after the writer ended")
            case .buffering:
                try store.put(key: key, body: buffer, contentType: contentType)
            case .uploading(let uploadID):
                if !buffer.isEmpty || parts.isEmpty { try uploadPart(buffer, uploadID: uploadID) }
                try complete(uploadID: uploadID)
            }
            buffer = []
            state = .ended
        } catch {
            abort()
            throw error
        }
    }

    func abort() {
        defer {
            state = .ended
            buffer = []
        }
        guard case .uploading(let uploadID) = state else { return }
        // Best effort: a failed abort leaves parts for the bucket's lifecycle rule to expire.
        _ = try? store.send(.delete, key: key, query: [("uploadId", uploadID)])
    }

    // MARK: - Steps

    private func flushFullParts() throws(ObjectStoreError) {
        let partSize = store.configuration.partSize
        if case .buffering = state {
            guard buffer.count > store.configuration.multipartThreshold else { return }
            state = .uploading(uploadID: try create())
        }
        guard case .uploading(let uploadID) = state else { return }
        while buffer.count >= partSize {
            try uploadPart(Array(buffer[..<partSize]), uploadID: uploadID)
            buffer.removeFirst(partSize)
        }
    }

    private func create() throws(ObjectStoreError) -> String {
        let response = try store.send(
            .post, key: key, query: [("uploads", "")], headers: [("Content-Type", contentType)])
        try store.expectSuccess(response, key: key)
        guard let uploadID = S3XML.firstValue(of: "UploadId", in: response.body), !uploadID.isEmpty else {
            throw .failed("CreateMultipartUpload answered without an UploadId")
        }
        return uploadID
    }

    private func uploadPart(_ bytes: [UInt8], uploadID: String) throws(ObjectStoreError) {
        let number = parts.count + 1
        guard number <= S3Configuration.maximumPartCount else {
            throw .failed("object needs more than \(S3Configuration.maximumPartCount) parts; raise the part size")
        }
        let response = try store.send(
            .put, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: bytes)
        try store.expectSuccess(response, key: key)
        guard let etag = response.headers[.etag], !etag.isEmpty else {
            throw .failed("UploadPart \(number) answered without an ETag")
        }
        parts.append((number, etag))
    }

    private func complete(uploadID: String) throws(ObjectStoreError) {
        var xml = "<CompleteMultipartUpload>"
        for part in parts {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(S3XML.escape(part.etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let response = try store.send(
            .post, key: key, query: [("uploadId", uploadID)], headers: [("Content-Type", "application/xml")],
            body: Array(xml.utf8))
        try store.expectSuccess(response, key: key)
        // S3 may answer 200 and still fail: the error document arrives in the body after the status.
        if S3XML.firstValue(of: "Error", in: response.body) != nil {
            throw S3ErrorMapping.error(status: 500, body: response.body, key: key)
        }
    }
}
