import HTTP

/// Writes a request as HTTP/1.1 octets: request line, `Host`, the caller's fields, `User-Agent`,
/// `Content-Length`, the empty line, the body (RFC 9112 §3, §6).
enum RequestSerializer {
    static func serialize(_ request: HTTPClientRequest, userAgent: String) throws(HTTPClientError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + request.body.count)
        out += "\(request.method) \(request.url.target) HTTP/1.1\r\n".utf8
        append(&out, "Host", request.url.hostField)
        var hasUserAgent = false
        for (name, value) in request.headers {
            guard !name.isEmpty, name.utf8.allSatisfy(HTTPBytes.isToken) else {
                throw .invalidRequest("header name \"\(name)\" is not a token")
            }
            // HTTPFields already turns CR/LF/NUL into spaces; this also refuses other controls.
            guard value.utf8.allSatisfy(HTTPBytes.isFieldValueByte) else {
                throw .invalidRequest("value of header \(name) contains control characters")
            }
            switch name.lowercased() {
            case "host", "content-length", "transfer-encoding": continue  // ours: routing and framing
            case "user-agent": hasUserAgent = true
            default: break
            }
            append(&out, name, value)
        }
        if !hasUserAgent { append(&out, "User-Agent", userAgent) }
        // RFC 9110 §8.6: a body needs its length; POST/PUT/PATCH say 0 so servers need not guess (411).
        let sendsLength =
            switch request.method {
            case .post, .put, .patch: true
            default: !request.body.isEmpty
            }
        if sendsLength { append(&out, "Content-Length", String(request.body.count)) }
        out += "\r\n".utf8
        out += request.body
        return out
    }

    private static func append(_ out: inout [UInt8], _ name: String, _ value: String) {
        out += name.utf8
        out += ": ".utf8
        out += value.utf8
        out += "\r\n".utf8
    }
}

/// Byte classes of RFC 9110 (the HTTP target keeps its own table internal).
enum HTTPBytes {
    /// tchar: "!#$%&'*+-.^_`|~", DIGIT, ALPHA.
    static func isToken(_ b: UInt8) -> Bool {
        b < 64
            ? (0x03ff_6cfa_0000_0000 as UInt64) >> b & 1 == 1
            : b < 128 ? (0x57ff_ffff_c7ff_fffe as UInt64) >> (b &- 64) & 1 == 1 : false
    }

    /// field-vchar / SP / HTAB / obs-text: anything but CTLs (except HTAB) and DEL.
    static func isFieldValueByte(_ b: UInt8) -> Bool { (b >= 0x20 && b != 0x7F) || b == 0x09 }

    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b &- 0x30)
        case 0x41...0x46: Int(b &- 0x41) + 10
        case 0x61...0x66: Int(b &- 0x61) + 10
        default: nil
        }
    }
}
