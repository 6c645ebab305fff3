extension AESGCM {
    /// A 256-bit AES key.
    ///
    /// Holds the raw bytes as a value so it is `Sendable` and needs no cleanup; its description and
    /// mirror are redacted so it never reaches a log or a `dump`. (Swift arrays may be copied, so the
    /// bytes are not wiped.)
    public struct Key: Sendable, CustomStringConvertible, CustomReflectable {
        let bytes: [UInt8]

        /// A key from 32 bytes, e.g. decoded from a `*_FILE` secret. Throws on any other length.
        public init(bytes: [UInt8]) throws(CryptoError) {
            guard bytes.count == AESGCM.keyByteCount else {
                throw .invalidKeySize(expected: AESGCM.keyByteCount, actual: bytes.count)
            }
            self.bytes = bytes
        }

        /// A new random key.
        public static func generate() throws(CryptoError) -> Key {
            try Key(bytes: SecureRandom.bytes(AESGCM.keyByteCount))
        }

        /// The raw key, to store in a secret manager. Handle it as a secret.
        public var rawBytes: [UInt8] { bytes }

        public var description: String { "AESGCM.Key(redacted)" }
        public var customMirror: Mirror { Mirror(self, children: [:]) }
    }
}
