/// The body half of `RequestParser`: Content-Length bodies, and chunked bodies with their size lines,
/// extensions and trailers (RFC 9112 §6.3, §7.1).
extension RequestParser {
    mutating func parseBody(_ p: UnsafeRawBufferPointer, _ index: inout Int) -> Event {
        let n = p.count
        var k = index
        if state == .bodyStart {
            switch framing {
            case .none:
                return completeMessage()
            case .length(let length):
                guard length <= bodyLimit else {
                    return fail(HTTPParseError(413, "body larger than \(bodyLimit) bytes"), &index, k)
                }
                body.reserveCapacity(length)
                remaining = length
                state = .lengthBody
            case .chunked:
                chunkSize = 0
                chunkDigits = 0
                chunkLineBytes = 0
                bodyTotal = 0
                state = .chunkSize
            }
        }
        while true {
            switch state {
            case .lengthBody, .chunkData:
                let take = min(remaining, n - k)
                if take > 0 {
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[k..<k + take]))
                    k += take
                    remaining -= take
                }
                guard remaining == 0 else {
                    index = k
                    return .needMore
                }
                if state == .lengthBody {
                    index = k
                    return completeMessage()
                }
                state = .chunkDataCR
                continue
            default: break
            }
            guard k < n else {
                index = k
                return .needMore
            }
            let b = p[k]
            switch state {
            case .chunkSize:
                chunkLineBytes += 1
                if let h = ASCII.hexValue(b) {
                    guard chunkSize <= (Int.max >> 4) else { return fail(.bad("chunk size overflows"), &index, k) }
                    chunkSize = chunkSize << 4 | Int(h)
                    chunkDigits += 1
                } else if chunkDigits == 0 {
                    return fail(.bad("invalid chunk size"), &index, k)
                } else if b == ASCII.cr {
                    state = .chunkSizeLF
                } else if b == ASCII.semicolon || b == ASCII.sp || b == ASCII.htab {
                    chunkExtension = ChunkExtensionScanner()
                    _ = chunkExtension.feed(b)
                    state = .chunkExt
                } else {
                    return fail(.bad("invalid chunk size"), &index, k)
                }
                if chunkLineBytes > limits.maxChunkLineBytes {
                    return fail(.bad("chunk-size line too long"), &index, k)
                }
            case .chunkExt:
                // Extensions are ignored (RFC 9112 §7.1.1) but must be well-formed; see ChunkExtensionScanner.
                chunkLineBytes += 1
                if chunkLineBytes > limits.maxChunkLineBytes {
                    return fail(.bad("chunk-size line too long"), &index, k)
                }
                switch chunkExtension.feed(b) {
                case .more: break
                case .end: state = .chunkSizeLF
                case .invalid: return fail(.bad("invalid chunk extension"), &index, k)
                }
            case .chunkSizeLF:
                guard b == ASCII.lf else { return fail(.bad("bare CR where CRLF is required"), &index, k) }
                if chunkSize == 0 {
                    trailerBytes = 0
                    state = .trailerStart
                } else {
                    // Compare before adding: a size near Int.max must be a 413, not an overflow trap.
                    guard chunkSize <= bodyLimit - bodyTotal else {
                        return fail(HTTPParseError(413, "body larger than \(bodyLimit) bytes"), &index, k)
                    }
                    bodyTotal += chunkSize
                    remaining = chunkSize
                    state = .chunkData
                }
                chunkSize = 0
                chunkDigits = 0
                chunkLineBytes = 0
            case .chunkDataCR:
                guard b == ASCII.cr else { return fail(.bad("chunk data not followed by CRLF"), &index, k) }
                state = .chunkDataLF
            case .chunkDataLF:
                guard b == ASCII.lf else { return fail(.bad("chunk data not followed by CRLF"), &index, k) }
                state = .chunkSize
            case .trailerStart:
                if b == ASCII.cr {
                    state = .trailerEndLF
                } else if ASCII.isToken(b) {
                    state = .trailerName
                } else {
                    return fail(.bad("invalid trailer field"), &index, k)
                }
            case .trailerName:
                if b == ASCII.colon {
                    state = .trailerValue
                } else if !ASCII.isToken(b) {
                    return fail(.bad("invalid character in trailer field name"), &index, k)
                }
            case .trailerValue:
                if b == ASCII.cr {
                    state = .trailerLF
                } else if !ASCII.isFieldValueByte(b) {
                    return fail(.bad("invalid character in trailer field value"), &index, k)
                }
            case .trailerLF:
                guard b == ASCII.lf else { return fail(.bad("bare CR where CRLF is required"), &index, k) }
                state = .trailerStart
            case .trailerEndLF:
                guard b == ASCII.lf else { return fail(.bad("bare CR where CRLF is required"), &index, k) }
                index = k + 1
                return completeMessage()
            default:
                return fail(.bad("parser state"), &index, k)
            }
            if state == .trailerName || state == .trailerValue || state == .trailerLF || state == .trailerEndLF {
                trailerBytes += 1
                if trailerBytes > limits.maxTrailerBytes {
                    return fail(
                        HTTPParseError(431, "trailer section larger than \(limits.maxTrailerBytes) bytes"), &index, k)
                }
            }
            k += 1
        }
    }

    private mutating func completeMessage() -> Event {
        let done = body
        body = []
        framing = .none
        bodyLimit = Self.defaultBodyLimit  // a route's larger limit never carries over to the next request
        state = .lineStart
        return .message(body: done)
    }
}
