/// Incremental HTTP/1.1 request parser over octets (RFC 9112).
///
/// Feed it whatever the socket returned; it walks each byte once, copies the head into one buffer in bulk
/// and records field ranges, so a request costs a few allocations whatever its size. It never builds a
/// `String` and parses every number from digits with overflow checks.
///
/// The caller drives it as a loop: `.head` comes first (the caller then picks the body limit and may
/// answer `100 Continue`), then `.message` with the body; `.needMore` asks for more input and `.error`
/// is final — the connection must answer the verdict and close.
struct RequestParser {
    enum Event {
        case needMore
        case head(RequestHead)
        case message(body: [UInt8])
        case error(HTTPParseError)
    }

    /// Where a request is, for choosing the deadline that applies (DESIGN §2).
    enum Phase { case idle, head, body }

    enum State {
        case lineStart, leadingLF, method, target, version, requestLineLF
        case fieldStart, fieldName, fieldValueOWS, fieldValue, fieldLF, headEndLF
        case bodyStart, lengthBody
        case chunkSize, chunkExt, chunkSizeLF, chunkData, chunkDataCR, chunkDataLF
        case trailerStart, trailerName, trailerValue, trailerLF, trailerEndLF
        case failed
    }

    let limits: ParserLimits
    var state = State.lineStart

    // Head accumulation: `head` holds the octets of the head seen so far.
    var head: [UInt8] = []
    var entries: [HTTPFields.Entry] = []
    var methodCount = 0
    var targetStart = 0
    var targetEnd = 0
    var versionIndex = 0
    var minorVersion: UInt8 = 1
    var majorVersion: UInt8 = 1
    var headerStart = 0
    var nameStart = 0
    var nameEnd = 0
    var valueStart = 0

    // Body.
    var framing = BodyFraming.none
    /// Until the caller sets the route's limit after `.head` (it always does); also the reset value.
    static let defaultBodyLimit = 1 << 20
    var bodyLimit = RequestParser.defaultBodyLimit
    var body: [UInt8] = []
    var remaining = 0
    var chunkSize = 0
    var chunkDigits = 0
    var chunkLineBytes = 0
    var bodyTotal = 0
    var trailerBytes = 0
    var chunkExtension = ChunkExtensionScanner()

    init(limits: ParserLimits = ParserLimits()) {
        self.limits = limits
    }

    var phase: Phase {
        switch state {
        case .lineStart: head.isEmpty ? .idle : .head
        case .leadingLF, .method, .target, .version, .requestLineLF, .fieldStart, .fieldName, .fieldValueOWS,
            .fieldValue, .fieldLF, .headEndLF, .failed:
            .head
        default: .body
        }
    }

    /// Sets the largest body the current request may have; call after `.head`, before feeding more.
    mutating func setBodyLimit(_ limit: Int) { bodyLimit = limit }

    /// Parses from `p[index...]`, advancing `index` past what was consumed.
    mutating func parse(_ p: UnsafeRawBufferPointer, _ index: inout Int) -> Event {
        switch state {
        case .failed: return .error(.bad("connection already failed"))
        case .bodyStart, .lengthBody, .chunkSize, .chunkExt, .chunkSizeLF, .chunkData, .chunkDataCR,
            .chunkDataLF, .trailerStart, .trailerName, .trailerValue, .trailerLF, .trailerEndLF:
            return parseBody(p, &index)
        default: return parseHead(p, &index)
        }
    }

    // MARK: - Head

    private mutating func parseHead(_ p: UnsafeRawBufferPointer, _ index: inout Int) -> Event {
        let n = p.count
        var k = index
        // Octets p[segStart..<k] are part of the head but not yet copied; offset(k) = base + k.
        var segStart = k
        var base = head.count - k

        @inline(__always) func flush(_ head: inout [UInt8]) {
            if k > segStart { head.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[segStart..<k])) }
            segStart = k
            base = head.count - k
        }

        while k < n {
            switch state {
            case .lineStart:
                let b = p[k]
                if b == ASCII.cr {
                    state = .leadingLF
                } else if b == ASCII.lf {
                    return fail(.bad("bare LF where CRLF is required"), &index, k)
                } else {
                    // RFC 9112 §2.2: empty lines before a request-line are ignored, so nothing before
                    // this byte belongs to the head.
                    segStart = k
                    base = head.count - k
                    methodCount = 0
                    state = .method
                    continue
                }
                k += 1
                segStart = k
                base = head.count - k

            case .leadingLF:
                guard p[k] == ASCII.lf else { return fail(.bad("bare CR where CRLF is required"), &index, k) }
                k += 1
                segStart = k
                base = head.count - k
                state = .lineStart

            case .method:
                let s = k
                while k < n, ASCII.isToken(p[k]) { k += 1 }
                methodCount += k - s
                if methodCount > limits.maxMethodBytes {
                    return fail(HTTPParseError(501, "method not implemented"), &index, k)
                }
                guard k < n else { break }
                guard p[k] == ASCII.sp, methodCount > 0 else {
                    return fail(.bad("invalid character in method"), &index, k)
                }
                k += 1
                targetStart = base + k
                state = .target

            case .target:
                while k < n, ASCII.isVisible(p[k]) { k += 1 }
                if base + k - targetStart > limits.maxTargetBytes {
                    return fail(
                        HTTPParseError(414, "request-target longer than \(limits.maxTargetBytes) bytes"), &index, k)
                }
                guard k < n else { break }
                guard p[k] == ASCII.sp, base + k > targetStart else {
                    return fail(.bad("invalid request-target"), &index, k)
                }
                targetEnd = base + k
                k += 1
                versionIndex = 0
                state = .version

            case .version:
                let b = p[k]
                switch versionIndex {
                case 0: guard b == 0x48 else { return fail(.bad("invalid HTTP version"), &index, k) }  // H
                case 1, 2: guard b == 0x54 else { return fail(.bad("invalid HTTP version"), &index, k) }  // T
                case 3: guard b == 0x50 else { return fail(.bad("invalid HTTP version"), &index, k) }  // P
                case 4: guard b == ASCII.slash else { return fail(.bad("invalid HTTP version"), &index, k) }
                case 5:
                    guard ASCII.isDigit(b) else { return fail(.bad("invalid HTTP version"), &index, k) }
                    majorVersion = b &- 0x30
                case 6: guard b == 0x2E else { return fail(.bad("invalid HTTP version"), &index, k) }
                case 7:
                    guard ASCII.isDigit(b) else { return fail(.bad("invalid HTTP version"), &index, k) }
                    minorVersion = b &- 0x30
                default:
                    guard b == ASCII.cr else { return fail(.bad("invalid HTTP version"), &index, k) }
                    state = .requestLineLF
                }
                versionIndex += 1
                k += 1

            case .requestLineLF:
                guard p[k] == ASCII.lf else { return fail(.bad("bare CR where CRLF is required"), &index, k) }
                guard majorVersion == 1, minorVersion <= 1 else {
                    return fail(HTTPParseError(505, "only HTTP/1.0 and HTTP/1.1 are supported"), &index, k)
                }
                k += 1
                headerStart = base + k
                state = .fieldStart

            case .fieldStart:
                let b = p[k]
                if b == ASCII.cr {
                    k += 1
                    state = .headEndLF
                    continue
                }
                if b == ASCII.sp || b == ASCII.htab {
                    return fail(.bad("obsolete line folding or whitespace before a field name"), &index, k)
                }
                if entries.count >= limits.maxHeaderCount {
                    return fail(HTTPParseError(431, "more than \(limits.maxHeaderCount) header fields"), &index, k)
                }
                nameStart = base + k
                state = .fieldName

            case .fieldName:
                while k < n, ASCII.isToken(p[k]) { k += 1 }
                if base + k - headerStart > limits.maxHeaderBytes { return headerTooLarge(&index, k) }
                guard k < n else { break }
                guard p[k] == ASCII.colon, base + k > nameStart else {
                    return fail(.bad("invalid character in field name"), &index, k)
                }
                nameEnd = base + k
                k += 1
                state = .fieldValueOWS

            case .fieldValueOWS:
                while k < n, p[k] == ASCII.sp || p[k] == ASCII.htab { k += 1 }
                if base + k - headerStart > limits.maxHeaderBytes { return headerTooLarge(&index, k) }
                guard k < n else { break }
                valueStart = base + k
                state = .fieldValue

            case .fieldValue:
                while k < n, ASCII.isFieldValueByte(p[k]) { k += 1 }
                if base + k - headerStart > limits.maxHeaderBytes { return headerTooLarge(&index, k) }
                guard k < n else { break }
                guard p[k] == ASCII.cr else { return fail(.bad("invalid character in field value"), &index, k) }
                // Trim trailing whitespace; the octets may sit in `head` or still in `p`.
                var valueEnd = base + k
                while valueEnd > valueStart {
                    let o = valueEnd - 1
                    let c = o < head.count ? head[o] : p[o - base]
                    guard c == ASCII.sp || c == ASCII.htab else { break }
                    valueEnd -= 1
                }
                if entries.isEmpty { entries.reserveCapacity(16) }
                entries.append(
                    HTTPFields.Entry(
                        nameStart: Int32(nameStart), nameCount: Int32(nameEnd - nameStart),
                        valueStart: Int32(valueStart), valueCount: Int32(valueEnd - valueStart)))
                k += 1
                state = .fieldLF

            case .fieldLF:
                guard p[k] == ASCII.lf else { return fail(.bad("bare CR where CRLF is required"), &index, k) }
                k += 1
                state = .fieldStart

            case .headEndLF:
                guard p[k] == ASCII.lf else { return fail(.bad("bare CR where CRLF is required"), &index, k) }
                k += 1
                flush(&head)
                index = k
                return finishHead()

            default:
                return fail(.bad("parser state"), &index, k)
            }
        }
        flush(&head)
        index = k
        return .needMore
    }

    private mutating func headerTooLarge(_ index: inout Int, _ k: Int) -> Event {
        fail(HTTPParseError(431, "header section larger than \(limits.maxHeaderBytes) bytes"), &index, k)
    }

    mutating func fail(_ error: HTTPParseError, _ index: inout Int, _ k: Int) -> Event {
        state = .failed
        index = k
        return .error(error)
    }
}
