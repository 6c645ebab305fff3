/// Turns a syntactically complete head into a `RequestHead`, applying RFC 9112's semantic rules:
/// implemented method, request-target form, exactly one valid Host on HTTP/1.1, one unambiguous body
/// framing (the request-smuggling rules), Connection and Expect.
extension RequestParser {
    mutating func finishHead() -> Event {
        var dummy = 0
        let storage = head
        let fieldEntries = entries
        head = []
        entries = []

        guard
            let method = storage.withUnsafeBytes({
                HTTPMethod.parse(UnsafeRawBufferPointer(rebasing: $0[0..<methodCount]))
            })
        else { return fail(HTTPParseError(501, "method not implemented"), &dummy, 0) }

        var hostCount = 0
        var contentLength: Int?
        var sawTransferEncoding = false
        var chunkedIsFinal = false
        var chunkedCount = 0
        var unknownCoding = false
        var close = false
        var keepAliveToken = false
        var expectContinue = false
        var verdict: HTTPParseError?

        storage.withUnsafeBufferPointer { s in
            for e in fieldEntries where verdict == nil {
                let ns = Int(e.nameStart)
                let nc = Int(e.nameCount)
                let vs = Int(e.valueStart)
                let ve = vs + Int(e.valueCount)
                switch nc {
                case 4 where Self.nameIs(s, ns, "host"):
                    hostCount += 1
                    if !(vs..<ve).allSatisfy({ ASCII.isHostChar(s[$0]) }) { verdict = .bad("invalid Host") }
                case 14 where Self.nameIs(s, ns, "content-length"):
                    var any = false
                    ListScanner.forEachElement(s, from: vs, to: ve) { lo, hi in
                        any = true
                        guard let n = Self.decimal(s, lo, hi) else {
                            verdict = .bad("invalid Content-Length")
                            return
                        }
                        if let previous = contentLength, previous != n {
                            verdict = .bad("conflicting Content-Length values")
                        }
                        contentLength = n
                    }
                    if !any { verdict = .bad("invalid Content-Length") }
                case 17 where Self.nameIs(s, ns, "transfer-encoding"):
                    sawTransferEncoding = true
                    ListScanner.forEachElement(s, from: vs, to: ve) { lo, hi in
                        if Self.equalsIgnoringCase(s, lo, hi, "chunked") {
                            chunkedCount += 1
                            chunkedIsFinal = true
                        } else {
                            chunkedIsFinal = false
                            unknownCoding = true
                        }
                    }
                case 10 where Self.nameIs(s, ns, "connection"):
                    ListScanner.forEachElement(s, from: vs, to: ve) { lo, hi in
                        if Self.equalsIgnoringCase(s, lo, hi, "close") { close = true }
                        if Self.equalsIgnoringCase(s, lo, hi, "keep-alive") { keepAliveToken = true }
                    }
                case 6 where Self.nameIs(s, ns, "expect"):
                    if Self.equalsIgnoringCase(s, vs, ve, "100-continue") {
                        expectContinue = true
                    } else {
                        verdict = HTTPParseError(417, "only the 100-continue expectation is supported")
                    }
                default: break
                }
            }
        }
        if let verdict { return fail(verdict, &dummy, 0) }
        if hostCount > 1 { return fail(.bad("more than one Host field"), &dummy, 0) }
        if minorVersion == 1, hostCount == 0 { return fail(.bad("missing Host field"), &dummy, 0) }

        var framing = BodyFraming.none
        if sawTransferEncoding {
            if contentLength != nil { return fail(.bad("both Content-Length and Transfer-Encoding"), &dummy, 0) }
            if minorVersion == 0 { return fail(.bad("Transfer-Encoding in an HTTP/1.0 request"), &dummy, 0) }
            if !chunkedIsFinal { return fail(.bad("final transfer coding is not chunked"), &dummy, 0) }
            if chunkedCount > 1 { return fail(.bad("chunked applied more than once"), &dummy, 0) }
            if unknownCoding { return fail(HTTPParseError(501, "transfer coding not implemented"), &dummy, 0) }
            framing = .chunked
        } else if let contentLength, contentLength > 0 {
            framing = .length(contentLength)
        }

        // Request-target forms (RFC 9112 §3.2): origin-form, absolute-form (http/https), and "*" for OPTIONS.
        var pathStart = targetStart
        var pathEnd = targetEnd
        var queryStart = -1
        let first = storage[targetStart]
        if first == ASCII.slash {
            // origin-form: the path runs to "?" or the end.
        } else if first == 0x2A {
            guard targetEnd - targetStart == 1, method == .options else {
                return fail(.bad("invalid request-target"), &dummy, 0)
            }
        } else if let authorityStart = Self.absoluteFormAuthority(storage, targetStart, targetEnd) {
            var i = authorityStart
            while i < targetEnd, storage[i] != ASCII.slash, storage[i] != ASCII.question { i += 1 }
            pathStart = i
        } else {
            return fail(.bad("invalid request-target"), &dummy, 0)
        }
        var i = pathStart
        while i < targetEnd, storage[i] != ASCII.question { i += 1 }
        pathEnd = i
        if i < targetEnd { queryStart = i + 1 }

        self.framing = framing
        state = .bodyStart
        let keepAlive = minorVersion == 1 ? !close : (keepAliveToken && !close)
        // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request is ignored.
        let sendContinue = expectContinue && framing != .none && minorVersion == 1
        return .head(
            RequestHead(
                method: method, minorVersion: minorVersion,
                fields: HTTPFields(storage: storage, entries: fieldEntries),
                targetStart: targetStart, targetEnd: targetEnd, pathStart: pathStart, pathEnd: pathEnd,
                queryStart: queryStart, keepAlive: keepAlive, expectContinue: sendContinue,
                framing: framing))
    }

    /// A non-negative decimal from digits only (no sign, no space), or nil on overflow or other bytes.
    static func decimal(_ s: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int? {
        guard hi > lo else { return nil }
        var n = 0
        for i in lo..<hi {
            let b = s[i]
            guard ASCII.isDigit(b) else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.addingReportingOverflow(Int(b &- 0x30))
            if o1 || o2 { return nil }
            n = r
        }
        return n
    }

    static func nameIs(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ lower: StaticString) -> Bool {
        equalsIgnoringCase(s, start, start + lower.utf8CodeUnitCount, lower)
    }

    static func equalsIgnoringCase(_ s: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, _ lower: StaticString) -> Bool
    {
        guard hi - lo == lower.utf8CodeUnitCount else { return false }
        let l = lower.utf8Start
        for k in 0..<(hi - lo) where ASCII.lower(s[lo + k]) != l[k] { return false }
        return true
    }

    /// For "http://" or "https://" (any case), the offset where the authority starts.
    static func absoluteFormAuthority(_ s: [UInt8], _ lo: Int, _ hi: Int) -> Int? {
        s.withUnsafeBufferPointer { b in
            if hi - lo > 7, equalsIgnoringCase(b, lo, lo + 7, "http://") { return lo + 7 }
            if hi - lo > 8, equalsIgnoringCase(b, lo, lo + 8, "https://") { return lo + 8 }
            return nil
        }
    }
}
