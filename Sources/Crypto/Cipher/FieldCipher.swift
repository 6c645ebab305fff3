/// Encrypts sensitive database fields (PII) with AES-256-GCM under rotating keys.
///
/// Stored layout: `keyID (1 byte) | nonce (12) | ciphertext | tag (16)`. The first key encrypts; every
/// key decrypts, so a new key can be introduced while old rows stay readable, and `needsReencryption`
/// finds the rows a background job should rewrite. The key id and the caller's `context` are
/// authenticated as associated data: pass something like `"users.phone:<user id>"` so a ciphertext
/// copied into another row or column fails to open instead of decrypting there.
public struct FieldCipher: Sendable {
    /// One byte: 255 rotations outlast any deployment, and the prefix stays fixed-size.
    public typealias KeyID = UInt8

    /// Bytes added to every plaintext.
    public static let overhead = 1 + AESGCM.nonceByteCount + AESGCM.tagByteCount

    /// The id of the key that encrypts.
    public let currentKeyID: KeyID
    private let keys: [KeyID: AESGCM.Key]

    /// A cipher that encrypts with `current` and decrypts with it or any of `previous`.
    /// Throws `invalidParameter` when an id appears twice.
    public init(
        current: (id: KeyID, key: AESGCM.Key), previous: [(id: KeyID, key: AESGCM.Key)] = []
    ) throws(CryptoError) {
        var keys = [current.id: current.key]
        for (id, key) in previous {
            guard keys.updateValue(key, forKey: id) == nil else { throw .invalidParameter("duplicate key id \(id)") }
        }
        self.currentKeyID = current.id
        self.keys = keys
    }

    /// `plaintext` sealed under the current key, bound to `context`.
    public func seal(_ plaintext: [UInt8], context: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        guard let key = keys[currentKeyID] else { throw .unknownKeyID(currentKeyID) }
        let box = try AESGCM.seal(plaintext, using: key, authenticating: Self.associatedData(currentKeyID, context))
        return [currentKeyID] + box.combined
    }

    /// The plaintext of `sealed`. Throws `unknownKeyID` when its key is not configured,
    /// `invalidEncoding` when it is too short, and `authenticationFailure` on any tampering or a
    /// different `context`.
    public func open(_ sealed: [UInt8], context: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        let id = try Self.keyID(of: sealed)
        guard let key = keys[id] else { throw .unknownKeyID(id) }
        let box = try AESGCM.SealedBox(combined: Array(sealed.dropFirst()))
        return try AESGCM.open(box, using: key, authenticating: Self.associatedData(id, context))
    }

    /// The id of the key `sealed` was encrypted with (not authenticated until `open`).
    public static func keyID(of sealed: [UInt8]) throws(CryptoError) -> KeyID {
        guard sealed.count >= overhead, let id = sealed.first else {
            throw .invalidEncoding("sealed field shorter than \(overhead) bytes")
        }
        return id
    }

    /// Whether `sealed` was encrypted with a key other than the current one and should be rewritten.
    public func needsReencryption(_ sealed: [UInt8]) -> Bool {
        (try? Self.keyID(of: sealed)) != currentKeyID
    }

    private static func associatedData(_ id: KeyID, _ context: [UInt8]) -> [UInt8] {
        [id] + context
    }
}
