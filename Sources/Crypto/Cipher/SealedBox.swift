extension AESGCM {
    /// The output of `AESGCM.seal`: nonce, ciphertext and tag, or their concatenation (`combined`) for
    /// storage. Holds nothing secret; its integrity is checked by `AESGCM.open`, not here.
    public struct SealedBox: Sendable, Hashable {
        public let nonce: [UInt8]
        public let ciphertext: [UInt8]
        public let tag: [UInt8]

        /// A box from its parts; throws if the nonce or tag has the wrong length.
        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) throws(CryptoError) {
            guard nonce.count == AESGCM.nonceByteCount else {
                throw .invalidKeySize(expected: AESGCM.nonceByteCount, actual: nonce.count)
            }
            guard tag.count == AESGCM.tagByteCount else {
                throw .invalidKeySize(expected: AESGCM.tagByteCount, actual: tag.count)
            }
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }

        /// A box from `nonce | ciphertext | tag`; throws `invalidEncoding` if too short to hold both.
        public init(combined: [UInt8]) throws(CryptoError) {
            let overhead = AESGCM.nonceByteCount + AESGCM.tagByteCount
            guard combined.count >= overhead else {
                throw .invalidEncoding("sealed box shorter than \(overhead) bytes")
            }
            try self.init(
                nonce: Array(combined.prefix(AESGCM.nonceByteCount)),
                ciphertext: Array(combined.dropFirst(AESGCM.nonceByteCount).dropLast(AESGCM.tagByteCount)),
                tag: Array(combined.suffix(AESGCM.tagByteCount)))
        }

        /// `nonce | ciphertext | tag`.
        public var combined: [UInt8] { nonce + ciphertext + tag }
    }
}
