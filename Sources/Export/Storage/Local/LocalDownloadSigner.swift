import Crypto
import Foundation

/// Signs and checks `LocalObjectStore` download links: `sig` is the hex HMAC-SHA256 under the store's
/// key of `key|expires|filename`, with key and filename percent-encoded so neither can contain the `|`
/// separator (otherwise key `a|1` and filename `2|b` would sign the same text as key `a`).
struct LocalDownloadSigner: Sendable {
    /// At least this many key bytes: HMAC-SHA256's own strength.
    static let minimumKeyLength = 32
    private let key: [UInt8]

    init(key: [UInt8]) throws(ObjectStoreError) {
        guard key.count >= Self.minimumKeyLength else {
            throw .invalidArgument("download signing key must be at least \(Self.minimumKeyLength) bytes")
        }
        self.key = key
    }

    func signature(key objectKey: String, expires: Int, filename: String) throws(ObjectStoreError) -> [UInt8] {
        let message = "\(S3URIEncoding.encode(objectKey))|\(expires)|\(S3URIEncoding.encode(filename))"
        do {
            return try HMAC.authenticationCode(for: Array(message.utf8), key: key, using: .sha256)
        } catch {
            throw .failed("signing download URL: \(error)")
        }
    }

    /// True only for an unexpired link whose signature matches, compared in constant time.
    func verify(key objectKey: String, expires: Int, filename: String, signature: String, now: Date) -> Bool {
        guard Double(expires) >= now.timeIntervalSince1970 else { return false }
        guard let given = try? Hex.decode(signature),
            let expected = try? self.signature(key: objectKey, expires: expires, filename: filename)
        else { return false }
        return ConstantTime.equals(expected, given)
    }
}
