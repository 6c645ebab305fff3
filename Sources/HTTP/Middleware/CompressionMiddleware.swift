import Compression

/// Gzips byte bodies for clients that accept it (DESIGN §2: compressible and over ~1 KiB).
///
/// A response is compressed when all hold: its body is `.bytes` of at least `minimumBytes`; its status
/// allows a body and is not 206 (byte ranges address the identity representation); it has no
/// `Content-Encoding` yet; its media type is textual (`text/*`, JSON, `application/*+json`, JavaScript,
/// XML, `application/*+xml`, SVG); and the request's `Accept-Encoding` gives gzip (or `*`) a non-zero
/// q-value. Such a response always gets `Vary: Accept-Encoding`, compressed or not, so caches keep
/// the two representations apart. Streams are never touched.
///
/// Decisions: the output is kept only when smaller than the input; a compression failure sends the
/// identity body instead of failing the request; `ETag` is left as is so that `If-Match` and
/// `If-None-Match` keep matching the tag the handler computed, whatever the encoding (`Vary` already
/// stops caches from confusing the two).
public struct CompressionMiddleware: Middleware {
    public let minimumBytes: Int
    public let level: Int32

    /// - Parameter level: zlib level, clamped to 1...9; 6 trades well between CPU and size for JSON.
    public init(minimumBytes: Int = 1024, level: Int32 = 6) {
        self.minimumBytes = max(0, minimumBytes)
        self.level = min(max(level, 1), 9)
    }

    public func respond(to request: Request, next: Handler) throws -> Response {
        var response = try next(request)
        guard case .bytes(let body) = response.body, body.count >= minimumBytes,
            response.status.allowsBody, response.status.code != 206,
            !response.headers.contains(.contentEncoding),
            Self.isCompressible(response.headers)
        else { return response }

        if !response.headers.containsToken(.vary, "accept-encoding"), !response.headers.containsToken(.vary, "*") {
            response.headers.append(.vary, "Accept-Encoding")
        }
        guard Self.acceptsGzip(request.headers),
            let compressed = try? Gzip.compress(body, level: level), compressed.count < body.count
        else { return response }

        response.headers.append(.contentEncoding, "gzip")
        // A length set by the handler described the identity body.
        response.headers.remove(.contentLength)
        response.body = .bytes(compressed)
        return response
    }
}

// Byte-level checks: they run on every response, so they read the header octets in place and build no
// String. No Accept-Encoding field means no work beyond the field-name scan.
extension CompressionMiddleware {
    /// Whether `Accept-Encoding` accepts gzip (RFC 9110 §12.5.3): an explicit `gzip`/`x-gzip` entry
    /// decides by its q-value, otherwise `*` does, otherwise no. A missing field means no: clients
    /// that can decode gzip say so.
    static func acceptsGzip(_ headers: HTTPFields) -> Bool {
        var gzip: Bool?
        var star: Bool?
        headers.storage.withUnsafeBufferPointer { s in
            for e in headers.entries where headers.matches(e, .acceptEncoding) {
                let from = Int(e.valueStart)
                ListScanner.forEachElement(s, from: from, to: from + Int(e.valueCount)) { lo, hi in
                    var semicolon = lo
                    while semicolon < hi, s[semicolon] != ASCII.semicolon { semicolon += 1 }
                    let end = trimmed(s, lo, semicolon).1
                    let isGzip = equalsIgnoringCase(s, lo, end, "gzip") || equalsIgnoringCase(s, lo, end, "x-gzip")
                    let isStar = end - lo == 1 && s[lo] == 0x2A
                    // A malformed weight drops the element, as if the client had not listed it.
                    guard isGzip || isStar, let q = weight(s, semicolon, hi) else { return }
                    if isGzip { gzip = (gzip ?? false) || q > 0 } else { star = (star ?? false) || q > 0 }
                }
            }
        }
        return gzip ?? star ?? false
    }

    /// The `q` parameter of an element's parameters `[from, to)` in thousandths; 1000 when absent, nil
    /// when malformed. Other parameters are ignored.
    static func weight(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int? {
        var i = from
        var q = 1000
        while i < to {
            i += 1  // past ";"
            var end = i
            while end < to, s[end] != ASCII.semicolon { end += 1 }
            var equals = i
            while equals < end, s[equals] != 0x3D { equals += 1 }
            // Lenient about spaces around "=", which the grammar forbids but some clients send.
            let (nameLo, nameHi) = trimmed(s, i, equals)
            if nameHi - nameLo == 1, ASCII.lower(s[nameLo]) == 0x71, equals < end {  // "q"
                let (valueLo, valueHi) = trimmed(s, equals + 1, end)
                guard let value = qvalue(s, valueLo, valueHi) else { return nil }
                q = value
            }
            i = end
        }
        return q
    }

    /// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths.
    static func qvalue(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int? {
        guard from < to, s[from] == 0x30 || s[from] == 0x31 else { return nil }
        var value = Int(s[from] - 0x30) * 1000
        guard from + 1 < to else { return value }
        guard s[from + 1] == 0x2E, to - from <= 5 else { return nil }
        var scale = 100
        for i in (from + 2)..<to {
            guard ASCII.isDigit(s[i]) else { return nil }
            value += Int(s[i] - 0x30) * scale
            scale /= 10
        }
        return value <= 1000 ? value : nil
    }

    /// Whether the first `Content-Type` names a textual media type worth compressing.
    static func isCompressible(_ headers: HTTPFields) -> Bool {
        guard let e = headers.entries.first(where: { headers.matches($0, .contentType) }) else { return false }
        return headers.storage.withUnsafeBufferPointer { s in
            let start = Int(e.valueStart)
            let valueEnd = start + Int(e.valueCount)
            var semicolon = start
            while semicolon < valueEnd, s[semicolon] != ASCII.semicolon { semicolon += 1 }
            let (lo, hi) = trimmed(s, start, semicolon)

            if hasPrefix(s, lo, hi, "text/") { return hi - lo > 5 }
            if hasPrefix(s, lo, hi, "application/") {
                return equalsIgnoringCase(s, lo, hi, "application/json")
                    || equalsIgnoringCase(s, lo, hi, "application/javascript")
                    || equalsIgnoringCase(s, lo, hi, "application/xml")
                    || (hi - lo > 17 && hasSuffix(s, lo, hi, "+json"))
                    || (hi - lo > 16 && hasSuffix(s, lo, hi, "+xml"))
            }
            return equalsIgnoringCase(s, lo, hi, "image/svg+xml")
        }
    }

    /// `[from, to)` without leading and trailing spaces and tabs.
    private static func trimmed(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> (Int, Int) {
        var lo = from
        var hi = to
        while lo < hi, s[lo] == ASCII.sp || s[lo] == ASCII.htab { lo += 1 }
        while hi > lo, s[hi - 1] == ASCII.sp || s[hi - 1] == ASCII.htab { hi -= 1 }
        return (lo, hi)
    }

    /// Case-insensitive comparison of `s[from..<to]` with a lowercase ASCII literal.
    private static func equalsIgnoringCase(
        _ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ literal: StaticString
    ) -> Bool {
        to - from == literal.utf8CodeUnitCount && hasPrefix(s, from, to, literal)
    }

    private static func hasPrefix(
        _ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ literal: StaticString
    ) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard to - from >= n else { return false }
        let p = literal.utf8Start
        for k in 0..<n where ASCII.lower(s[from + k]) != p[k] { return false }
        return true
    }

    private static func hasSuffix(
        _ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ literal: StaticString
    ) -> Bool {
        let n = literal.utf8CodeUnitCount
        return to - from >= n && hasPrefix(s, to - n, to, literal)
    }
}
