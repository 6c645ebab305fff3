/// What an object store tells about a stored object without its body.
public struct ObjectInfo: Sendable, Equatable {
    /// Size of the body in bytes.
    public var size: Int
    /// The media type given when the object was stored.
    public var contentType: String
    /// The store's entity tag (S3's quoted ETag; a content hash for `LocalObjectStore`).
    public var etag: String?

    public init(size: Int, contentType: String, etag: String? = nil) {
        self.size = size
        self.contentType = contentType
        self.etag = etag
    }
}

/// A stored object: its body and what the store knows about it.
public struct StoredObject: Sendable, Equatable {
    public var body: [UInt8]
    public var info: ObjectInfo

    public init(body: [UInt8], info: ObjectInfo) {
        self.body = body
        self.info = info
    }
}

/// Where exports go: a flat namespace of keys to byte strings, with download links that work without
/// our server's session (presigned S3 URLs, or HMAC-signed links for the embedded local store).
///
/// Calls block, like `HTTPClient` and the database clients: they run on job worker threads. Every key is
/// checked with `ObjectKey.validate` first. `delete` of a missing key succeeds, as in S3, so a retried
/// cleanup job does not fail.
public protocol ObjectStore: Sendable {
    /// Stores `body` under `key` in one request, replacing any object there.
    func put(key: String, body: [UInt8], contentType: String) throws(ObjectStoreError)

    /// A writer for an object too large to hold in memory; see `ObjectWriter`.
    func makeWriter(key: String, contentType: String) throws(ObjectStoreError) -> any ObjectWriter

    /// The whole object.
    func get(key: String) throws(ObjectStoreError) -> StoredObject

    /// Size and type without the body; `notFound` when missing.
    func head(key: String) throws(ObjectStoreError) -> ObjectInfo

    /// Removes the object; succeeds when there was none.
    func delete(key: String) throws(ObjectStoreError)

    /// A URL anyone holding it may GET for `expiresIn`, served as an attachment named `filename`
    /// (and with `contentType` when given, else the stored type).
    func downloadURL(
        key: String, expiresIn: Duration, filename: String, contentType: String?
    ) throws(ObjectStoreError) -> String
}

extension ObjectStore {
    /// Whether an object exists under `key` (`head` without the `notFound` error).
    public func exists(key: String) throws(ObjectStoreError) -> Bool {
        do {
            _ = try head(key: key)
            return true
        } catch .notFound {
            return false
        }
    }

    /// Streams `parts` (chunks of any size) into one object: the writer regroups them (S3: multipart
    /// upload in `partSize` parts once past the threshold). On any failure the partial upload is aborted,
    /// so no object and no orphaned parts are left behind.
    public func upload<Chunks: Sequence>(
        key: String, contentType: String, parts: Chunks
    ) throws(ObjectStoreError) where Chunks.Element == [UInt8] {
        let writer = try makeWriter(key: key, contentType: contentType)
        do {
            for chunk in parts { try writer.write(chunk) }
            try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
    }
}

/// An object being written piece by piece. Use it from one thread: `write` any number of times, then
/// `finish` to publish the object, or `abort` to drop it. Nothing is visible under the key before
/// `finish` returns. A writer that is neither finished nor aborted leaves its temporary data behind
/// (S3: an incomplete multipart upload, which a bucket lifecycle rule should expire), so always end it.
public protocol ObjectWriter: AnyObject {
    /// Appends `bytes`; may upload a part. After a failure the writer has aborted itself.
    func write(_ bytes: [UInt8]) throws(ObjectStoreError)
    /// Publishes the object. After a failure the writer has aborted itself.
    func finish() throws(ObjectStoreError)
    /// Drops everything written; best effort, never throws, harmless after `finish` or a failure.
    func abort()
}
