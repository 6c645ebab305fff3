/// One response as it came off the wire.
struct RawResponse: CustomStringConvertible {
    var version: String
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// The body was chunked; the sizes of its data chunks in order.
    var chunkSizes: [Int]?
    var trailers: [(name: String, value: String)] = []
    /// No Content-Length and not chunked: the body ran until the server closed.
    var delimitedByClose = false

    /// The first value of a header (case-insensitive name).
    func header(_ name: String) -> String? { values(name).first }

    func values(_ name: String) -> [String] {
        let lower = name.lowercased()
        return headers.filter { $0.name.lowercased() == lower }.map(\.value)
    }

    var bodyString: String { String(decoding: body, as: UTF8.self) }

    /// `Connection: close` was sent.
    var saysClose: Bool {
        values("connection").contains { $0.lowercased().split(separator: ",").contains { $0.trimmed == "close" } }
    }

    var isChunked: Bool { chunkSizes != nil }

    var description: String {
        "\(status) \(reason) [\(headers.map { "\($0.name): \($0.value)" }.joined(separator: "; "))] "
            + "body(\(body.count))=\(String(bodyString.prefix(200)))"
    }
}

extension Substring {
    var trimmed: String { String(self).trimmingSpaces }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// Parses responses strictly: CRLF line ends, a valid status line, never both `Content-Length` and
/// `Transfer-Encoding`, no body for HEAD/1xx/204/304, exact lengths, well-formed chunks.
enum ResponseReader {
    static func read(from c: RawClient, requestWasHead: Bool) throws -> RawResponse {
        let statusLine = String(decoding: try c.readLine("status line"), as: UTF8.self)
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0", parts[1].count == 3,
            let status = Int(parts[1]), (100...599).contains(status)
        else { throw ClientError.malformed("status line \(statusLine.debugDescription)") }
        var response = RawResponse(
            version: String(parts[0]), status: status, reason: parts.count > 2 ? String(parts[2]) : "",
            headers: try readFields(c, "header"), body: [])
        if status < 200 || status == 204 || status == 304 {
            if response.header("content-length").map({ $0 != "0" }) ?? false, status < 200 {
                throw ClientError.malformed("Content-Length on \(status)")
            }
            if response.header("transfer-encoding") != nil {
                throw ClientError.malformed("Transfer-Encoding on \(status)")
            }
            return response
        }
        let lengths = response.values("content-length")
        let codings = response.values("transfer-encoding")
        if !lengths.isEmpty, !codings.isEmpty {
            throw ClientError.malformed("both Content-Length and Transfer-Encoding")
        }
        if lengths.count > 1 { throw ClientError.malformed("\(lengths.count) Content-Length fields") }
        if let te = codings.first {
            guard codings.count == 1, te.lowercased() == "chunked" else {
                throw ClientError.malformed("Transfer-Encoding \(codings)")
            }
            if requestWasHead { return response }
            try readChunked(c, into: &response)
        } else if let cl = lengths.first {
            guard !cl.isEmpty, cl.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(cl) else {
                throw ClientError.malformed("Content-Length \(cl.debugDescription)")
            }
            if requestWasHead { return response }
            response.body = try c.readExactly(n, "body of \(status)")
        } else {
            if requestWasHead { return response }
            response.delimitedByClose = true
            response.body = try c.readToEnd("body until close")
        }
        return response
    }

    private static func readFields(_ c: RawClient, _ what: String) throws -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        while true {
            let line = try c.readLine(what)
            if line.isEmpty { return fields }
            guard let colon = line.firstIndex(of: 0x3A), colon > 0,
                line[0] != 0x20, line[0] != 0x09, line[colon - 1] != 0x20
            else {
                throw ClientError.malformed("\(what) line \(String(decoding: line, as: UTF8.self).debugDescription)")
            }
            if line.contains(0x0D) { throw ClientError.malformed("bare CR in \(what)") }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
            fields.append((name, value))
        }
    }

    private static func readChunked(_ c: RawClient, into response: inout RawResponse) throws {
        var sizes: [Int] = []
        var body: [UInt8] = []
        while true {
            let line = try c.readLine("chunk size")
            let sizeDigits = line.prefix { $0 != 0x3B }  // ";" starts extensions
            guard !sizeDigits.isEmpty, sizeDigits.count <= 15,
                let size = Int(String(decoding: sizeDigits, as: UTF8.self), radix: 16),
                sizeDigits.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
            else {
                throw ClientError.malformed("chunk size line \(String(decoding: line, as: UTF8.self).debugDescription)")
            }
            if size == 0 {
                response.trailers = try readFields(c, "trailer")
                response.chunkSizes = sizes
                response.body = body
                return
            }
            sizes.append(size)
            body += try c.readExactly(size, "chunk data")
            guard try c.readExactly(2, "chunk CRLF") == [0x0D, 0x0A] else {
                throw ClientError.malformed("chunk data not followed by CRLF")
            }
        }
    }
}
