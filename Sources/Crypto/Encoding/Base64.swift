/// Standard base64 (RFC 4648 §4), for formats that specify it: PHC password strings (unpadded), PEM and
/// configuration values that hold keys.
///
/// Decoding is as strict as `Base64URL`'s: one accepted spelling per byte string.
public enum Base64 {
    /// `bytes` in standard base64, padded with `=` unless `padding` is false (as PHC strings require).
    public static func encode(_ bytes: [UInt8], padding: Bool = true) -> String {
        Base64Codec.standard.encode(bytes, padding: padding)
    }

    /// The bytes of `text`, padded or not. Throws on characters outside the alphabet (including `-` and
    /// `_`), wrong padding, an impossible length or non-zero unused trailing bits.
    public static func decode(_ text: String) throws(CryptoError) -> [UInt8] {
        try Base64Codec.standard.decode(text)
    }
}
