/// Base64url (RFC 4648 §5): the URL- and filename-safe alphabet, for tokens, JWT segments and anything
/// that travels in a URL, a header or a cookie.
///
/// Encoding never pads (as JWT and most token formats require). Decoding is strict: one accepted spelling
/// per byte string, so a token cannot be re-encoded to slip past a lookup or a replay check.
public enum Base64URL {
    /// `bytes` in base64url, without `=` padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        Base64Codec.url.encode(bytes, padding: false)
    }

    /// The bytes of `text`, padded or not. Throws on characters outside the alphabet (including `+` and
    /// `/`), wrong padding, an impossible length or non-zero unused trailing bits.
    public static func decode(_ text: String) throws(CryptoError) -> [UInt8] {
        try Base64Codec.url.decode(text)
    }
}
