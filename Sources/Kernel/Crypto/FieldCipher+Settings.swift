import Crypto

extension AuthSettings {
    /// The AES-256-GCM cipher for PII columns, from `FIELD_ENCRYPTION_KEYS` (the first key seals, the
    /// others still open). Every module sealing columns builds it here, so they derive keys identically.
    public func makeFieldCipher() throws -> FieldCipher {
        let keys = try fieldEncryptionKeys.map { s -> (id: FieldCipher.KeyID, key: AESGCM.Key) in
            guard let id = FieldCipher.KeyID(s.id) else { throw CryptoError.invalidParameter("field key id \(s.id)") }
            return (id, try AESGCM.Key(bytes: try Self.derive(s.secret, purpose: "travelsense field aes-256-gcm")))
        }
        guard let first = keys.first else {
            throw CryptoError.invalidParameter("FIELD_ENCRYPTION_KEYS is empty")
        }
        return try FieldCipher(current: first, previous: Array(keys.dropFirst()))
    }

    /// A purpose-bound key from a configured secret, so one secret never keys two algorithms.
    public static func derive(_ secret: String, purpose: String) throws -> [UInt8] {
        try HMAC.authenticationCode(for: Array(purpose.utf8), key: Array(secret.utf8), using: .sha256)
    }
}
