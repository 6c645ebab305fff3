/// SMTP data transparency (RFC 5321 §4.5.2): a line that begins with "." gets a second one, so no
/// line of the message can be mistaken for the "." that ends DATA.
enum DotStuffing {
    /// `message` (CRLF lines, ending in CRLF) stuffed and followed by the ".\r\n" terminator.
    static func stuff(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + 64)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
            output.append(byte)
            atLineStart = byte == 0x0A
        }
        if !atLineStart { output += [0x0D, 0x0A] }
        output += Array(".\r\n".utf8)
        return output
    }
}
