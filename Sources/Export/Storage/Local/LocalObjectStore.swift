import Crypto
import Foundation

/// The embedded default `ObjectStore`: objects are files under a directory in the data directory, for
/// `travelsense dev` and single-node installs without S3.
///
/// Writes are atomic: a temporary file in `<directory>/tmp` is written, synced and renamed over
/// `<directory>/objects/<key>`, so a reader sees the old object or the new one, never half of either.
/// Download links point at our own server (`/v1/downloads/<key>`) and carry an expiry and an HMAC,
/// checked by `verify` in the route that serves them.
///
/// Differences from S3, by design of a file system: a key cannot be both an object and a prefix of
/// another (`a` and `a/b`); deleting leaves empty parent directories behind.
public final class LocalObjectStore: ObjectStore {
    /// The directory holding `objects/` and `tmp/`.
    public let directory: String
    /// Scheme, host and optional path prefix of our public API, e.g. `https://api.travelsense.app`.
    public let publicBaseURL: String
    /// Largest object `get` reads into memory.
    public let maxObjectSizeInMemory: Int
    private let signer: LocalDownloadSigner

    /// Creates the directories (mode 0700) if needed. `signingKey` (≥ 32 random bytes, kept with the
    /// data directory's other keys) signs download links; links die when it changes.
    public init(
        directory: String, publicBaseURL: String, signingKey: [UInt8], maxObjectSizeInMemory: Int = 64 * 1024 * 1024
    ) throws(ObjectStoreError) {
        guard publicBaseURL.hasPrefix("http://") || publicBaseURL.hasPrefix("https://") else {
            throw .invalidArgument("public base URL must start with http:// or https://")
        }
        self.directory = directory
        var base = publicBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.publicBaseURL = base
        self.maxObjectSizeInMemory = maxObjectSizeInMemory
        self.signer = try LocalDownloadSigner(key: signingKey)
        try LocalFileIO.makeDirectories(objectsDirectory)
        try LocalFileIO.makeDirectories(temporaryDirectory)
    }

    var objectsDirectory: String { directory + "/objects" }
    var temporaryDirectory: String { directory + "/tmp" }

    /// Where the object under a validated key lives.
    func path(of key: String) -> String { objectsDirectory + "/" + key }

    // MARK: - ObjectStore

    public func put(key: String, body: [UInt8], contentType: String) throws(ObjectStoreError) {
        let writer = try makeWriter(key: key, contentType: contentType)
        do {
            try writer.write(body)
            try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
    }

    public func makeWriter(key: String, contentType: String) throws(ObjectStoreError) -> any ObjectWriter {
        try ObjectKey.validate(key)
        try ContentTypeRule.validate(contentType)
        let temporary: String
        do {
            temporary = temporaryDirectory + "/" + (try SecureRandom.token(bytes: 16))
        } catch {
            throw .failed("random temporary name: \(error)")
        }
        return try LocalObjectWriter(
            temporaryPath: temporary, finalPath: path(of: key), header: LocalObjectFile.header(contentType: contentType)
        )
    }

    public func get(key: String) throws(ObjectStoreError) -> StoredObject {
        try ObjectKey.validate(key)
        guard let bytes = try LocalFileIO.readAll(path(of: key), limit: maxObjectSizeInMemory + 512) else {
            throw .notFound(key: key)
        }
        return try LocalObjectFile.parse(bytes, key: key)
    }

    /// Reads the file to learn the type (the header is its first line); objects here are exports of a
    /// few MiB, read rarely outside downloads.
    public func head(key: String) throws(ObjectStoreError) -> ObjectInfo {
        try get(key: key).info
    }

    public func delete(key: String) throws(ObjectStoreError) {
        try ObjectKey.validate(key)
        try LocalFileIO.remove(path(of: key))
    }

    public func downloadURL(
        key: String, expiresIn: Duration, filename: String, contentType: String?
    ) throws(ObjectStoreError) -> String {
        try downloadURL(key: key, expiresIn: expiresIn, filename: filename, now: Date())
    }

    /// The link, signed as of `now` (the tests' clock).
    func downloadURL(key: String, expiresIn: Duration, filename: String, now: Date) throws(ObjectStoreError) -> String {
        try ObjectKey.validate(key)
        try ContentDisposition.validate(filename: filename)
        let seconds = Int(expiresIn.components.seconds)
        guard seconds >= 1 else { throw .invalidArgument("download URL expiry must be at least 1 s") }
        let expires = Int(now.timeIntervalSince1970) + seconds
        let signature = try signer.signature(key: key, expires: expires, filename: filename)
        return "\(publicBaseURL)/v1/downloads/\(S3URIEncoding.encodePath(key))?expires=\(expires)"
            + "&filename=\(S3URIEncoding.encode(filename))&sig=\(Hex.encode(signature))"
    }

    /// Whether a download link's parts (decoded from its path and query) are ours and unexpired.
    /// Constant-time in the signature; false for anything malformed.
    public func verify(key: String, expires: Int, filename: String, signature: String, now: Date = Date()) -> Bool {
        guard (try? ObjectKey.validate(key)) != nil else { return false }
        return signer.verify(key: key, expires: expires, filename: filename, signature: signature, now: now)
    }
}
