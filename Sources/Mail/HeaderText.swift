import Crypto

/// Header field text: injection checks, RFC 2047 encoded words and folding.
///
/// Folding keeps lines under 78 characters where the text allows it and under RFC 5322's hard limit
/// of 998 always: text that cannot be folded that short is sent as encoded words, which can.
enum HeaderText {
    /// RFC 5322 §2.1.1's recommended line length, and RFC 2047's limit for one encoded word.
    static let preferredLineLength = 78
    static let maximumEncodedWord = 75
    /// Longest run without a space that plain text may have before it is sent encoded instead.
    static let maximumUnfoldableRun = 900
    /// Longest ASCII display name written as-is; a longer one goes as encoded words, which fold.
    static let maximumPlainPhrase = 200

    /// Throws `invalidMessage` when `value` holds CR, LF or another control character but tab: such
    /// a value would end the header early and let its sender add headers or a body of their own.
    static func checkNoLineBreaks(_ value: String, field: String) throws(MailError) {
        for byte in value.utf8 {
            if byte == 0x0D || byte == 0x0A { throw .invalidMessage("\(field) contains CR or LF") }
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F {
                throw .invalidMessage("\(field) contains a control character")
            }
        }
    }

    /// `name: value` for unstructured text (Subject, extra headers), folded, ending in CRLF.
    /// Callers have already run `checkNoLineBreaks`.
    static func unstructured(name: String, value: String) -> String {
        let plain =
            value.utf8.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x09 }
            && !value.contains("=?")  // would be read as an encoded word
            && value.split(whereSeparator: { $0 == " " || $0 == "\t" }).allSatisfy {
                $0.utf8.count <= maximumUnfoldableRun
            }
        if plain { return fold(name: name, value: value) }
        return "\(name): " + encodedWords(value, firstLineUsed: name.utf8.count + 2).joined(separator: "\r\n ") + "\r\n"
    }

    /// A display name as a phrase: atoms as they are, other ASCII as a quoted string, and anything
    /// with non-ASCII characters as encoded words.
    static func phrase(_ name: String, firstLineUsed: Int) -> String {
        let bytes = Array(name.utf8)
        if bytes.count <= maximumPlainPhrase && bytes.allSatisfy({ $0 < 0x80 }) && !name.contains("=?") {
            let isAtoms = bytes.allSatisfy { AddressSyntax.isAtext($0) || $0 == UInt8(ascii: " ") }
            if isAtoms && bytes.first != UInt8(ascii: " ") && bytes.last != UInt8(ascii: " ") { return name }
            var quoted = "\""
            for character in name {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }
        // Folding whitespace between encoded words is not part of the decoded name (RFC 2047 §6.2).
        return encodedWords(name, firstLineUsed: firstLineUsed).joined(separator: "\r\n ")
    }

    /// `text` as RFC 2047 `=?utf-8?B?…?=` words of at most 75 characters, each holding whole
    /// characters (a word is decoded on its own, so a split UTF-8 sequence would be garbage).
    /// The first word is shortened so that a header line holding `firstLineUsed` characters before
    /// it stays within 78; the others go on continuation lines of their own.
    static func encodedWords(_ text: String, firstLineUsed: Int) -> [String] {
        let prefix = "=?utf-8?B?"
        let suffix = "?="
        let overhead = prefix.utf8.count + suffix.utf8.count
        // Base64 turns 3 bytes into 4 characters; a chunk never drops below one 4-byte scalar.
        func capacity(_ room: Int) -> Int { max((min(room, maximumEncodedWord) - overhead) / 4 * 3, 6) }
        var room = capacity(preferredLineLength - firstLineUsed)
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if chunk.count + encoded.count > room && !chunk.isEmpty {
                words.append(prefix + Base64.encode(chunk) + suffix)
                chunk = []
                room = capacity(preferredLineLength - 1)
            }
            chunk += encoded
        }
        if !chunk.isEmpty || words.isEmpty { words.append(prefix + Base64.encode(chunk) + suffix) }
        return words
    }

    /// Folds `name: value` before spaces so lines stay near 78 characters; a fold is only placed
    /// before a space that is followed by text, so no line is blank (RFC 5322 §3.2.2).
    private static func fold(name: String, value: String) -> String {
        var output = "\(name):"
        var lineLength = output.utf8.count
        var words: [Substring] = []
        var separators: [Substring] = []
        var rest = Substring(value)
        // Split into (leading whitespace, word) pairs, keeping every whitespace character as given.
        while !rest.isEmpty {
            let space = rest.prefix { $0 == " " || $0 == "\t" }
            rest = rest.dropFirst(space.count)
            let word = rest.prefix { $0 != " " && $0 != "\t" }
            rest = rest.dropFirst(word.count)
            separators.append(space)
            words.append(word)
        }
        for (index, word) in words.enumerated() {
            // The first word also gets the space that conventionally follows the colon.
            let space = index == 0 ? " " + separators[index] : separators[index]
            if word.isEmpty {
                output += space  // trailing whitespace stays on the last line
                continue
            }
            if lineLength + space.utf8.count + word.utf8.count > preferredLineLength && lineLength > name.utf8.count + 1
                && !space.isEmpty
            {
                output += "\r\n"
                lineLength = 0
            }
            output += space + word
            lineLength += space.utf8.count + word.utf8.count
        }
        return output + "\r\n"
    }
}
