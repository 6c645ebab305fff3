/// How a response body is delimited on the wire (RFC 9112 §6).
enum ResponseFraming: Equatable {
    /// No body at all (1xx, 204, 304).
    case none
    case length(Int)
    case chunked
    /// HTTP/1.0 client and unknown length: the body ends when the connection closes.
    case untilClose
}

/// Writes response heads. Status lines are pre-encoded once; everything else is appended to a
/// caller-owned buffer that connections reuse, so serializing a response allocates nothing.
enum ResponseSerializer {
    private static let statusLines: [[UInt8]] = (0..<600).map { code in
        Array("HTTP/1.1 \(code) \(HTTPStatus.phrase(for: code))\r\n".utf8)
    }
    private static let closeLine = Array("Connection: close\r\n".utf8)
    private static let keepAliveLine = Array("Connection: keep-alive\r\n".utf8)
    private static let chunkedLine = Array("Transfer-Encoding: chunked\r\n".utf8)
    private static let contentLengthPrefix = Array("Content-Length: ".utf8)
    /// DESIGN §6: every response carries nosniff.
    private static let nosniffLine = Array("X-Content-Type-Options: nosniff\r\n".utf8)

    static func writeHead(
        _ status: HTTPStatus, _ headers: HTTPFields, framing: ResponseFraming, keepAlive: Bool, http10: Bool,
        date: [UInt8], into out: inout [UInt8]
    ) {
        if status.code >= 100, status.code < 600, status.reasonPhrase == HTTPStatus.phrase(for: status.code) {
            out.append(contentsOf: statusLines[status.code])
        } else {
            out.append(contentsOf: "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n".utf8)
        }
        out.append(contentsOf: date)
        headers.writeForResponse(into: &out)
        out.append(contentsOf: nosniffLine)
        switch framing {
        case .none, .untilClose: break
        case .length(let n):
            out.append(contentsOf: contentLengthPrefix)
            appendDecimal(n, to: &out)
            out.append(ASCII.cr)
            out.append(ASCII.lf)
        case .chunked:
            out.append(contentsOf: chunkedLine)
        }
        if !keepAlive {
            out.append(contentsOf: closeLine)
        } else if http10 {
            out.append(contentsOf: keepAliveLine)
        }
        out.append(ASCII.cr)
        out.append(ASCII.lf)
    }

    /// The `100 Continue` interim response.
    static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value == 0 {
            out.append(0x30)
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while n > 0 {
                d[count] = UInt8(truncatingIfNeeded: n % 10) &+ 0x30
                n /= 10
                count += 1
            }
            while count > 0 {
                count -= 1
                out.append(d[count])
            }
        }
    }

    /// A chunk header: size in hex and CRLF.
    static func appendChunkHeader(_ size: Int, to out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        var shift = (Int.bitWidth - size.leadingZeroBitCount + 3) / 4 * 4
        if shift == 0 { shift = 4 }
        while shift > 0 {
            shift -= 4
            out.append(hex.utf8Start[(size >> shift) & 0xF])
        }
        out.append(ASCII.cr)
        out.append(ASCII.lf)
    }
}
