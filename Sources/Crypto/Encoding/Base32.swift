/// Base32 (RFC 4648 §6), the encoding of TOTP secrets in `otpauth://` URIs and in the text users type
/// into an authenticator app when they cannot scan the QR code.
///
/// Decoding forgives what people and apps do to the text (lowercase, spaces, `=` padding) but still
/// rejects characters outside the alphabet, impossible lengths and non-zero unused trailing bits.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
    private static let invalid: UInt8 = 0xff
    /// Character → 5-bit value (both cases), `invalid` for anything else.
    private static let values: [UInt8] = {
        var values = [UInt8](repeating: invalid, count: 256)
        for (index, character) in alphabet.enumerated() {
            values[Int(character)] = UInt8(index)
            values[Int(character | 0x20)] = UInt8(index)  // lowercase; digits already have bit 0x20 set
        }
        return values
    }()
    /// How many characters a trailing group of n bytes (index) produces.
    private static let charactersForBytes = [0, 2, 4, 5, 7]

    /// `bytes` in uppercase base32, without padding unless `padding` is true (otpauth URIs omit it).
    public static func encode(_ bytes: [UInt8], padding: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 4) / 5 * 8)
        var index = 0
        while index < bytes.count {
            let remaining = min(5, bytes.count - index)
            var group: UInt64 = 0
            for offset in 0..<5 {
                group <<= 8
                if offset < remaining { group |= UInt64(bytes[index + offset]) }
            }
            let characters = remaining == 5 ? 8 : charactersForBytes[remaining]
            for position in 0..<characters {
                output.append(alphabet[Int((group >> (35 - 5 * UInt64(position))) & 0x1f)])
            }
            if padding { output.append(contentsOf: repeatElement(UInt8(ascii: "="), count: 8 - characters)) }
            index += 5
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of `text`, ignoring case, spaces and trailing `=` padding.
    public static func decode(_ text: String) throws(CryptoError) -> [UInt8] {
        var input = text.utf8.filter { $0 != UInt8(ascii: " ") }
        while input.last == UInt8(ascii: "=") { input.removeLast() }
        let tail = input.count % 8
        guard charactersForBytes.contains(tail) else {
            throw .invalidEncoding("base32 length is impossible")
        }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 5 / 8)
        var buffer: UInt64 = 0
        var bits = 0
        for character in input {
            let value = values[Int(character)]
            guard value != invalid else { throw .invalidEncoding("invalid base32 character") }
            buffer = buffer << 5 | UInt64(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt64(bits)))
                buffer &= (1 << UInt64(bits)) - 1
            }
        }
        // Whatever is left over must be zero bits that only padded out the last character.
        guard buffer == 0 else { throw .invalidEncoding("base32 has non-zero trailing bits") }
        return output
    }
}
