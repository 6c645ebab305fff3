/// Turns received octets into body bytes according to the response's framing: counts down a
/// `Content-Length`, walks chunked framing (RFC 9112 §7.1) or takes everything until the server closes.
///
/// Chunk sizes are hex digits with an overflow check; chunk extensions are skipped (but may hold no
/// control characters); trailer fields are checked like header fields and dropped.
struct ResponseBodyDecoder {
    /// Longest chunk-size line including extensions.
    static let maxChunkLineBytes = 4 * 1024
    /// Largest trailer section.
    static let maxTrailerBytes = 64 * 1024

    private enum State: Equatable {
        case length(remaining: Int)
        case untilClose
        case chunkSize
        case chunkExtension
        case chunkSizeLF
        case chunkData(remaining: Int)
        case chunkDataCR
        case chunkDataLF
        case trailerStart
        case trailerName
        case trailerValue
        case trailerLF
        case trailerEndLF
        case done
    }

    private var state: State
    private var chunkSize = 0
    private var chunkDigits = 0
    private var lineBytes = 0
    private var trailerBytes = 0

    init(framing: ResponseFraming) {
        switch framing {
        case .none: state = .done
        case .length(let length): state = .length(remaining: length)
        case .chunked: state = .chunkSize
        case .untilClose: state = .untilClose
        }
    }

    /// Whether the body is complete.
    var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Decodes from `buffer[index...]`, appending body bytes to `body` and advancing `index` past what
    /// was consumed; stops at the end of the body, leaving any further bytes unconsumed.
    mutating func decode(_ buffer: [UInt8], _ index: inout Int, into body: inout [UInt8]) throws(HTTPClientError) {
        while index < buffer.count {
            switch state {
            case .done:
                return
            case .untilClose:
                body += buffer[index...]
                index = buffer.count
            case .length(let remaining):
                let take = min(remaining, buffer.count - index)
                body += buffer[index..<(index + take)]
                index += take
                state = take == remaining ? .done : .length(remaining: remaining - take)
            case .chunkData(let remaining):
                let take = min(remaining, buffer.count - index)
                body += buffer[index..<(index + take)]
                index += take
                state = take == remaining ? .chunkDataCR : .chunkData(remaining: remaining - take)
            default:
                try step(buffer[index])
                index += 1
            }
        }
    }

    /// The connection ended: fine only for a body delimited by the close itself.
    mutating func finishAtEndOfStream() throws(HTTPClientError) {
        switch state {
        case .done: return
        case .untilClose: state = .done
        default: throw .connectionClosed("the server closed the connection before the body was complete")
        }
    }

    /// One byte of chunked framing.
    private mutating func step(_ b: UInt8) throws(HTTPClientError) {
        switch state {
        case .chunkSize:
            try countLineByte()
            if let digit = HTTPBytes.hexValue(b) {
                guard chunkSize <= Int.max >> 4 else { throw .malformedResponse("chunk size overflows") }
                chunkSize = chunkSize << 4 | digit
                chunkDigits += 1
            } else if chunkDigits > 0 && b == 0x0D {
                state = .chunkSizeLF
            } else if chunkDigits > 0 && (b == 0x3B || HTTPBytes.isWhitespace(b)) {
                state = .chunkExtension
            } else {
                throw .malformedResponse("invalid chunk size")
            }
        case .chunkExtension:
            try countLineByte()
            if b == 0x0D {
                state = .chunkSizeLF
            } else if !HTTPBytes.isFieldValueByte(b) {
                throw .malformedResponse("invalid chunk extension")
            }
        case .chunkSizeLF:
            guard b == 0x0A else { throw .malformedResponse("bare CR in a chunk-size line") }
            state = chunkSize == 0 ? .trailerStart : .chunkData(remaining: chunkSize)
            chunkSize = 0
            chunkDigits = 0
            lineBytes = 0
        case .chunkDataCR:
            guard b == 0x0D else { throw .malformedResponse("chunk data not followed by CRLF") }
            state = .chunkDataLF
        case .chunkDataLF:
            guard b == 0x0A else { throw .malformedResponse("chunk data not followed by CRLF") }
            state = .chunkSize
        default:
            try trailerStep(b)
        }
    }

    private mutating func trailerStep(_ b: UInt8) throws(HTTPClientError) {
        trailerBytes += 1
        guard trailerBytes <= Self.maxTrailerBytes else {
            throw .malformedResponse("trailer section larger than \(Self.maxTrailerBytes) bytes")
        }
        switch state {
        case .trailerStart:
            if b == 0x0D {
                state = .trailerEndLF
            } else if HTTPBytes.isToken(b) {
                state = .trailerName
            } else {
                throw .malformedResponse("invalid trailer field")
            }
        case .trailerName:
            if b == 0x3A {
                state = .trailerValue
            } else if !HTTPBytes.isToken(b) {
                throw .malformedResponse("invalid trailer field name")
            }
        case .trailerValue:
            if b == 0x0D {
                state = .trailerLF
            } else if !HTTPBytes.isFieldValueByte(b) {
                throw .malformedResponse("invalid character in a trailer field")
            }
        case .trailerLF, .trailerEndLF:
            guard b == 0x0A else { throw .malformedResponse("bare CR in the trailer section") }
            state = state == .trailerLF ? .trailerStart : .done
        default:
            throw .malformedResponse("body decoder state")
        }
    }

    private mutating func countLineByte() throws(HTTPClientError) {
        lineBytes += 1
        guard lineBytes <= Self.maxChunkLineBytes else { throw .malformedResponse("chunk-size line too long") }
    }
}
