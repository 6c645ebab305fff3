/// The RFC 4648 base64 algorithm, shared by `Base64` (§4) and `Base64URL` (§5), which differ only in
/// their last two alphabet characters and in whether encoding pads.
struct Base64Codec: Sendable {
    static let standard = Base64Codec(last2: "+/")
    static let url = Base64Codec(last2: "-_")

    private static let invalid: UInt8 = 0xff
    private let alphabet: [UInt8]
    /// Character → 6-bit value, `invalid` for anything outside the alphabet.
    private let values: [UInt8]

    private init(last2: String) {
        alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\(last2)".utf8)
        var values = [UInt8](repeating: Self.invalid, count: 256)
        for (index, character) in alphabet.enumerated() { values[Int(character)] = UInt8(index) }
        self.values = values
    }

    func encode(_ bytes: [UInt8], padding: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if remaining > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if remaining > 2 { group |= UInt32(bytes[index + 2]) }
            // n input bytes give n + 1 significant characters.
            for position in 0...remaining {
                output.append(alphabet[Int((group >> (18 - 6 * UInt32(position))) & 0x3f)])
            }
            if padding { output.append(contentsOf: repeatElement(UInt8(ascii: "="), count: 3 - remaining)) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Accepts input with or without padding; rejects characters outside the alphabet, wrong padding, a
    /// length no encoder produces, and non-zero unused bits, so every byte string has one accepted form
    /// (tokens and signatures cannot be varied to dodge a lookup or a replay check).
    func decode(_ text: String) throws(CryptoError) -> [UInt8] {
        var input = Array(text.utf8)
        var padding = 0
        while input.last == UInt8(ascii: "=") {
            input.removeLast()
            padding += 1
        }
        let tail = input.count % 4
        guard tail != 1 else { throw .invalidEncoding("base64 length is impossible") }
        guard padding == 0 || (tail != 0 && padding == 4 - tail) else {
            throw .invalidEncoding("base64 padding is wrong")
        }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var group: UInt32 = 0
        for (index, character) in input.enumerated() {
            let value = values[Int(character)]
            guard value != Self.invalid else { throw .invalidEncoding("invalid base64 character") }
            group = group << 6 | UInt32(value)
            if index % 4 == 3 {
                output.append(UInt8(truncatingIfNeeded: group >> 16))
                output.append(UInt8(truncatingIfNeeded: group >> 8))
                output.append(UInt8(truncatingIfNeeded: group))
                group = 0
            }
        }
        switch tail {
        case 2:
            guard group & 0x0f == 0 else { throw .invalidEncoding("base64 has non-zero trailing bits") }
            output.append(UInt8(truncatingIfNeeded: group >> 4))
        case 3:
            guard group & 0x03 == 0 else { throw .invalidEncoding("base64 has non-zero trailing bits") }
            output.append(UInt8(truncatingIfNeeded: group >> 10))
            output.append(UInt8(truncatingIfNeeded: group >> 2))
        default:
            break
        }
        return output
    }
}
