internal import COpenSSL

/// A digest computed piece by piece, for content too large to hold at once (an export streamed to
/// storage is hashed as it is written). One thread at a time; `finalize` ends it.
public final class DigestStream {
    public let algorithm: HashAlgorithm
    private let context: OpaquePointer
    private var finished = false

    public init(_ algorithm: HashAlgorithm) throws(CryptoError) {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLCall.failure("EVP_MD_CTX_new") }
        self.context = context
        self.algorithm = algorithm
        guard EVP_DigestInit_ex(context, algorithm.evpMD, nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw OpenSSLCall.failure("EVP_DigestInit_ex(\(algorithm))")
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        precondition(!finished, "DigestStream used after finalize")
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else {
            throw OpenSSLCall.failure("EVP_DigestUpdate(\(algorithm))")
        }
    }

    public func update(_ bytes: [UInt8]) throws(CryptoError) {
        precondition(!finished, "DigestStream used after finalize")
        guard !bytes.isEmpty else { return }
        let status = bytes.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        guard status == 1 else { throw OpenSSLCall.failure("EVP_DigestUpdate(\(algorithm))") }
    }

    /// The digest of everything given; the stream accepts nothing more.
    public func finalize() throws(CryptoError) -> [UInt8] {
        precondition(!finished, "DigestStream finalized twice")
        finished = true
        var output = [UInt8](repeating: 0, count: algorithm.byteCount)
        var length: UInt32 = 0
        let status = output.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        guard status == 1, Int(length) == algorithm.byteCount else {
            throw OpenSSLCall.failure("EVP_DigestFinal_ex(\(algorithm))")
        }
        return output
    }
}
