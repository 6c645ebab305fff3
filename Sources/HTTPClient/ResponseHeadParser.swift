import HTTP

/// Finds and parses a response head — status line and header fields — in received octets (RFC 9112 §4,
/// §5), as strictly as the server parses requests: CRLF only (a bare CR or LF is an error), token field
/// names with the colon right after them, no obs-fold, no control characters in values.
///
/// The head is searched incrementally (each byte is looked at once however the bytes arrive) and parsed
/// in one pass once its end is known.
struct ResponseHeadParser {
    /// Largest head accepted (status line and fields), generous for CDNs that pile on headers.
    static let maxHeadBytes = 64 * 1024
    /// Most header fields accepted.
    static let maxFields = 256

    /// How far past the head's start the search for its end has got.
    private var searched = 0

    /// The head at `buffer[start...]` and the index just past it, or nil when more bytes are needed.
    mutating func parse(_ buffer: [UInt8], from start: Int) throws(HTTPClientError) -> (HTTPClientResponseHead, Int)? {
        var i = start + searched
        while i < buffer.count {
            let b = buffer[i]
            if b == 0x0A {
                guard i > start, buffer[i - 1] == 0x0D else { throw .malformedResponse("bare LF in the head") }
                if i - start >= 3, buffer[i - 2] == 0x0A {
                    searched = 0
                    return (try Self.parseHead(buffer[start..<(i - 1)]), i + 1)
                }
            } else if i > start, buffer[i - 1] == 0x0D {
                throw .malformedResponse("bare CR in the head")
            }
            i += 1
            guard i - start <= Self.maxHeadBytes else {
                throw .malformedResponse("head larger than \(Self.maxHeadBytes) bytes")
            }
        }
        searched = i - start
        return nil
    }

    /// Parses the status line and field lines; `head` ends with the last field line's CRLF, and the
    /// search has already made sure that every CR in it is followed by LF and every LF preceded by CR.
    private static func parseHead(_ head: ArraySlice<UInt8>) throws(HTTPClientError) -> HTTPClientResponseHead {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = head.startIndex
        var k = head.startIndex
        while k < head.endIndex {
            if head[k] == 0x0D {
                lines.append(head[lineStart..<k])
                k += 2  // the LF, known to be there
                lineStart = k
            } else {
                k += 1
            }
        }
        guard let statusLine = lines.first else { throw .malformedResponse("empty head") }
        let (minor, status) = try parseStatusLine(statusLine)
        guard lines.count - 1 <= maxFields else { throw .malformedResponse("more than \(maxFields) header fields") }
        var fields = HTTPFields()
        for line in lines.dropFirst() {
            let (name, value) = try parseField(line)
            fields.append(HTTPFieldName(name), value)
        }
        return HTTPClientResponseHead(status: status, headers: fields, minorVersion: minor)
    }

    /// `HTTP/1.x SP 3DIGIT SP reason`; the reason may be empty and its SP missing (seen in the wild,
    /// harmless: RFC 9112 §4 tells clients to ignore the reason anyway).
    private static func parseStatusLine(_ line: ArraySlice<UInt8>) throws(HTTPClientError) -> (UInt8, HTTPStatus) {
        let b = Array(line)
        guard b.count >= 12, b[0..<5].elementsEqual("HTTP/".utf8), b[5] == 0x31, b[6] == 0x2E, HTTPBytes.isDigit(b[7])
        else {
            throw .malformedResponse("status line is not HTTP/1.x")
        }
        guard b[8] == 0x20, b[9...11].allSatisfy(HTTPBytes.isDigit) else {
            throw .malformedResponse("invalid status code")
        }
        let code = Int(b[9] &- 0x30) * 100 + Int(b[10] &- 0x30) * 10 + Int(b[11] &- 0x30)
        guard (100...599).contains(code) else { throw .malformedResponse("status code \(code) out of range") }
        var reason: String?
        if b.count > 12 {
            guard b[12] == 0x20, b[13...].allSatisfy(HTTPBytes.isFieldValueByte) else {
                throw .malformedResponse("invalid reason phrase")
            }
            reason = String(decoding: b[13...], as: UTF8.self)
        }
        return (min(b[7] &- 0x30, 1), HTTPStatus(code, reason))
    }

    private static func parseField(_ line: ArraySlice<UInt8>) throws(HTTPClientError) -> (String, String) {
        guard let first = line.first else { throw .malformedResponse("empty field line") }
        guard !HTTPBytes.isWhitespace(first) else {
            throw .malformedResponse("obsolete line folding or whitespace before a field name")
        }
        guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
            line[..<colon].allSatisfy(HTTPBytes.isToken)
        else {
            throw .malformedResponse("invalid field name")
        }
        var valueStart = colon + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd, HTTPBytes.isWhitespace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, HTTPBytes.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        guard line[valueStart..<valueEnd].allSatisfy(HTTPBytes.isFieldValueByte) else {
            throw .malformedResponse("invalid character in a field value")
        }
        return (
            String(decoding: line[..<colon], as: UTF8.self),
            String(decoding: line[valueStart..<valueEnd], as: UTF8.self)
        )
    }
}
