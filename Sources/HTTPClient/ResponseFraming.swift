import HTTP

/// How a response's body is delimited (RFC 9112 §6.3), decided from its head and the request method.
enum ResponseFraming: Equatable {
    /// No body at all: a response to HEAD, 1xx, 204, 304, or `Content-Length: 0`.
    case none
    case length(Int)
    case chunked
    /// Neither length nor chunked: the body ends when the server closes the connection.
    case untilClose

    /// Decides the framing, refusing what the server would refuse in a request: both `Content-Length`
    /// and `Transfer-Encoding` (a smuggling sign), a transfer coding other than plain `chunked` (we ask
    /// for none and decode none), and `Content-Length` values that are not digits or disagree.
    init(head: HTTPClientResponseHead, method: HTTPMethod) throws(HTTPClientError) {
        if method == .head || !head.status.allowsBody {
            self = .none
            return
        }
        let codings = head.headers.values(.transferEncoding).flatMap { Self.listElements($0) }
        let lengths = head.headers.values(.contentLength)
        if !codings.isEmpty {
            guard lengths.isEmpty else { throw .malformedResponse("both Content-Length and Transfer-Encoding") }
            guard codings.count == 1, codings[0].lowercased() == "chunked" else {
                throw .malformedResponse("unsupported transfer coding \(codings.joined(separator: ", "))")
            }
            self = .chunked
            return
        }
        guard !lengths.isEmpty else {
            self = .untilClose
            return
        }
        var length: Int?
        for element in lengths.flatMap({ Self.listElements($0) }) {
            let value = try Self.parseLength(element)
            guard length == nil || length == value else { throw .malformedResponse("conflicting Content-Length") }
            length = value
        }
        guard let length else { throw .malformedResponse("empty Content-Length") }
        self = length == 0 ? .none : .length(length)
    }

    /// 1*DIGIT with an overflow check: `Int("+5")` would accept a sign, the classic smuggling bug.
    static func parseLength(_ text: Substring) throws(HTTPClientError) -> Int {
        guard !text.isEmpty else { throw .malformedResponse("empty Content-Length") }
        var value = 0
        for b in text.utf8 {
            guard HTTPBytes.isDigit(b) else { throw .malformedResponse("Content-Length is not digits") }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(b &- 0x30))
            guard !o1, !o2 else { throw .malformedResponse("Content-Length overflows") }
            value = sum
        }
        return value
    }

    /// The trimmed, non-empty elements of a comma-separated field value (RFC 9110 §5.6.1).
    static func listElements(_ value: String) -> [Substring] {
        value.split(separator: ",", omittingEmptySubsequences: false).compactMap { element in
            let trimmed = element.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            var end = trimmed.endIndex
            while end > trimmed.startIndex, [" ", "\t"].contains(trimmed[trimmed.index(before: end)]) {
                end = trimmed.index(before: end)
            }
            return end > trimmed.startIndex ? trimmed[..<end] : nil
        }
    }
}
