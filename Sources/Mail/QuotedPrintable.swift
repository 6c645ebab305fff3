/// Quoted-printable (RFC 2045 §6.7) for message bodies: 7-bit output in lines of at most 76
/// characters, whatever the text's line lengths or characters.
enum QuotedPrintable {
    static let maximumLineLength = 76

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Encodes `text`, whose lines may end in LF, CRLF or CR, into CRLF-terminated lines.
    ///
    /// A "From " at the start of a line is written `=46rom ` so mbox readers do not mangle it into
    /// ">From ". Leading dots are left alone: SMTP's dot-stuffing is the layer that protects them.
    static func encode(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for line in lines(Array(text.utf8)) {
            encodeLine(line, into: &output)
            output += [0x0D, 0x0A]
        }
        return output
    }

    /// The lines of `bytes` without their terminators; a final terminator does not start an empty line.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                result.append(bytes[start..<index])
                if byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count { result.append(bytes[start...]) }
        return result
    }

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var length = 0
        let startsWithFrom = line.starts(with: "From ".utf8)
        for (offset, byte) in zip(line.indices, line) {
            let isLast = offset == line.index(before: line.endIndex)
            let literal =
                ((0x21...0x7E).contains(byte) && byte != UInt8(ascii: "="))
                // Trailing whitespace would be stripped in transit, so it is encoded at the end of a line.
                || ((byte == 0x20 || byte == 0x09) && !isLast)
            let encodeFrom = startsWithFrom && offset == line.startIndex
            let token: [UInt8] =
                literal && !encodeFrom
                ? [byte] : [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            // A soft break "=" needs one column; the last token of a line does not.
            let room = isLast ? maximumLineLength : maximumLineLength - 1
            if length + token.count > room {
                output += [UInt8(ascii: "="), 0x0D, 0x0A]
                length = 0
            }
            output += token
            length += token.count
        }
    }
}
