internal import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D) with 12-byte random nonces and 16-byte tags.
///
/// Confidentiality and integrity: any change to ciphertext, tag, nonce or associated data makes `open`
/// throw `authenticationFailure`, and no unauthenticated plaintext is ever returned. Random 96-bit nonces
/// are safe for about 2^32 messages per key (NIST's collision bound); rotate keys well before that.
/// For database fields use `FieldCipher`, which adds a key id for rotation.
public enum AESGCM {
    public static let keyByteCount = 32
    public static let nonceByteCount = 12
    public static let tagByteCount = 16

    /// Encrypts `plaintext` under `key` with a fresh random nonce, authenticating `associatedData` too
    /// (it is not encrypted or included in the box; the same bytes must be passed to `open`).
    public static func seal(
        _ plaintext: [UInt8], using key: Key, authenticating associatedData: [UInt8] = []
    ) throws(CryptoError) -> SealedBox {
        try seal(plaintext, using: key, nonce: SecureRandom.bytes(nonceByteCount), authenticating: associatedData)
    }

    /// `seal` with a caller-chosen nonce: internal, for the published test vectors. Reusing a nonce
    /// under one key reveals the XOR of plaintexts and lets anyone forge tags.
    static func seal(
        _ plaintext: [UInt8], using key: Key, nonce: [UInt8], authenticating associatedData: [UInt8]
    ) throws(CryptoError) -> SealedBox {
        let context = try CipherContext(encrypting: true, key: key, nonce: nonce)
        try context.update(associatedData: associatedData)
        let ciphertext = try context.update(plaintext)
        try context.finish()
        let tag = try context.tag()
        return try SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// The plaintext of `box`. Throws `authenticationFailure` if the box or `associatedData` differ in
    /// any bit from what was sealed, or if `key` is not the sealing key.
    public static func open(
        _ box: SealedBox, using key: Key, authenticating associatedData: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        let context = try CipherContext(encrypting: false, key: key, nonce: box.nonce)
        try context.update(associatedData: associatedData)
        let plaintext = try context.update(box.ciphertext)
        try context.setTag(box.tag)
        // The tag is checked only here; the plaintext above is discarded unless it passes.
        try context.finish()
        return plaintext
    }
}

/// One EVP_CIPHER_CTX for AES-256-GCM, freed when the value dies.
///
/// A class only for its deinit; it never leaves the function that made it, so it needs no locking.
private final class CipherContext {
    private let context: OpaquePointer
    private let encrypting: Bool

    init(encrypting: Bool, key: AESGCM.Key, nonce: [UInt8]) throws(CryptoError) {
        guard nonce.count == AESGCM.nonceByteCount else {
            throw .invalidKeySize(expected: AESGCM.nonceByteCount, actual: nonce.count)
        }
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSLCall.failure("EVP_CIPHER_CTX_new") }
        self.context = context
        self.encrypting = encrypting
        // 12 bytes is GCM's default IV length, so no EVP_CTRL_GCM_SET_IVLEN call is needed.
        let status = key.bytes.withUnsafeBufferPointer { keyBuffer in
            nonce.withUnsafeBufferPointer { nonceBuffer in
                EVP_CipherInit_ex(
                    context, EVP_aes_256_gcm(), nil, keyBuffer.baseAddress, nonceBuffer.baseAddress,
                    encrypting ? 1 : 0)
            }
        }
        guard status == 1 else { throw OpenSSLCall.failure("EVP_CipherInit_ex(aes-256-gcm)") }
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    func update(associatedData: [UInt8]) throws(CryptoError) {
        guard !associatedData.isEmpty else { return }
        let length = try OpenSSLCall.int32(associatedData.count, "associated data")
        var written: Int32 = 0
        let status = associatedData.withUnsafeBufferPointer {
            EVP_CipherUpdate(context, nil, &written, $0.baseAddress, length)
        }
        guard status == 1 else { throw OpenSSLCall.failure("EVP_CipherUpdate(aad)") }
    }

    /// GCM is a stream mode: output is exactly as long as input.
    func update(_ input: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard !input.isEmpty else { return [] }
        let length = try OpenSSLCall.int32(input.count, "AES-GCM input")
        var output = [UInt8](repeating: 0, count: input.count)
        var written: Int32 = 0
        let status = input.withUnsafeBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer {
                EVP_CipherUpdate(context, $0.baseAddress, &written, inputBuffer.baseAddress, length)
            }
        }
        guard status == 1, written == length else { throw OpenSSLCall.failure("EVP_CipherUpdate") }
        return output
    }

    func setTag(_ tag: [UInt8]) throws(CryptoError) {
        var tag = tag
        let status = tag.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32($0.count), $0.baseAddress)
        }
        guard status == 1 else { throw OpenSSLCall.failure("EVP_CTRL_GCM_SET_TAG") }
    }

    /// Completes the operation; when decrypting, this is where a wrong tag is detected.
    func finish() throws(CryptoError) {
        var scratch = [UInt8](repeating: 0, count: 16)
        var written: Int32 = 0
        let status = scratch.withUnsafeMutableBufferPointer { EVP_CipherFinal_ex(context, $0.baseAddress, &written) }
        guard status == 1 else {
            if encrypting { throw OpenSSLCall.failure("EVP_CipherFinal_ex") }
            ERR_clear_error()
            throw .authenticationFailure
        }
    }

    func tag() throws(CryptoError) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: AESGCM.tagByteCount)
        let status = tag.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32($0.count), $0.baseAddress)
        }
        guard status == 1 else { throw OpenSSLCall.failure("EVP_CTRL_GCM_GET_TAG") }
        return tag
    }
}
