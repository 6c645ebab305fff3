import Testing

@testable import HTTP

/// What a test sees of one parsed head: everything the connection acts on.
struct HeadSummary: Equatable, CustomStringConvertible {
    var method: HTTPMethod
    var target: String
    var path: String
    var query: String?
    var minorVersion: UInt8
    var headers: [[String]]
    var keepAlive: Bool
    var expectContinue: Bool
    var framing: BodyFraming

    init(_ head: RequestHead) {
        let request = Request(head: head, body: [], remoteAddress: "")
        method = head.method
        target = request.target
        path = request.path
        query = request.query
        minorVersion = head.minorVersion
        headers = head.fields.map { [$0.name, $0.value] }
        keepAlive = head.keepAlive
        expectContinue = head.expectContinue
        framing = head.framing
    }

    var description: String { "\(method) \(target) HTTP/1.\(minorVersion) \(headers)" }
}

/// One parser event, in a comparable form.
enum ParseEvent: Equatable, CustomStringConvertible {
    case head(HeadSummary)
    case message([UInt8])
    case error(Int, String)

    var description: String {
        switch self {
        case .head(let h): "head(\(h))"
        case .message(let b):
            "message(\(b.count) bytes: \(String(decoding: b.prefix(40), as: UTF8.self).debugDescription))"
        case .error(let code, let detail): "error(\(code) \(detail))"
        }
    }
}

/// The outcome of feeding some input: the events in order and whether the parser ended asking for more.
struct ParseRun: Equatable {
    var events: [ParseEvent] = []
    /// Bytes the parser holds of an unfinished message (its internal body buffer), for the conformance test.
    var partialBody: [UInt8] = []

    var heads: [HeadSummary] { events.compactMap { if case .head(let h) = $0 { h } else { nil } } }
    var bodies: [[UInt8]] { events.compactMap { if case .message(let b) = $0 { b } else { nil } } }
    var error: (code: Int, detail: String)? {
        if case .error(let c, let d) = events.last { (c, d) } else { nil }
    }
    var errorCode: Int? { error?.code }

    static func == (a: Self, b: Self) -> Bool { a.events == b.events && a.partialBody == b.partialBody }
}

enum Feed: CaseIterable, CustomStringConvertible {
    case whole, byteByByte
    var description: String { self == .whole ? "whole" : "byte-by-byte" }
}

/// Drives `RequestParser` as a connection does: parse until `.needMore` or `.error`, calling
/// `setBodyLimit` after every head when `bodyLimit` is given, and checking the index contract.
func runParser(
    _ pieces: [[UInt8]], limits: ParserLimits = ParserLimits(), bodyLimit: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseRun {
    var parser = RequestParser(limits: limits)
    var run = ParseRun()
    feeding: for piece in pieces {
        var i = 0
        var failed = false
        piece.withUnsafeBytes { p in
            for _ in 0...(2 * p.count + 4) {
                let before = i
                let event = parser.parse(p, &i)
                #expect(
                    i >= before && i <= p.count, "index moved from \(before) to \(i) of \(p.count)",
                    sourceLocation: sourceLocation)
                switch event {
                case .needMore:
                    #expect(
                        i == p.count, "needMore with \(p.count - i) bytes unconsumed", sourceLocation: sourceLocation)
                    return
                case .head(let head):
                    run.events.append(.head(HeadSummary(head)))
                    if let bodyLimit { parser.setBodyLimit(bodyLimit) }
                case .message(let body):
                    run.events.append(.message(body))
                case .error(let e):
                    run.events.append(.error(e.status.code, e.detail))
                    failed = true
                    return
                }
            }
            Issue.record("parser made no progress on \(p.count) bytes", sourceLocation: sourceLocation)
            failed = true
        }
        if failed { break feeding }
    }
    run.partialBody = parser.body
    return run
}

func runParser(
    _ bytes: [UInt8], _ feed: Feed, limits: ParserLimits = ParserLimits(), bodyLimit: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseRun {
    switch feed {
    case .whole: runParser([bytes], limits: limits, bodyLimit: bodyLimit, sourceLocation: sourceLocation)
    case .byteByByte:
        runParser(bytes.map { [$0] }, limits: limits, bodyLimit: bodyLimit, sourceLocation: sourceLocation)
    }
}

/// Parses `input` whole and byte by byte, expects both to give the same events, and returns them.
/// Inputs up to 1 KiB are also split in two at every position.
@discardableResult
func parseAllWays(
    _ input: String, limits: ParserLimits = ParserLimits(), bodyLimit: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseRun {
    parseAllWays(Array(input.utf8), limits: limits, bodyLimit: bodyLimit, sourceLocation: sourceLocation)
}

@discardableResult
func parseAllWays(
    _ bytes: [UInt8], limits: ParserLimits = ParserLimits(), bodyLimit: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseRun {
    let whole = runParser(bytes, .whole, limits: limits, bodyLimit: bodyLimit, sourceLocation: sourceLocation)
    let single = runParser(bytes, .byteByByte, limits: limits, bodyLimit: bodyLimit, sourceLocation: sourceLocation)
    #expect(
        whole == single, "whole vs byte-by-byte:\n\(whole.events)\n\(single.events)", sourceLocation: sourceLocation)
    if bytes.count <= 1024 {
        for cut in 1..<max(1, bytes.count) {
            let split = runParser(
                [Array(bytes[..<cut]), Array(bytes[cut...])], limits: limits, bodyLimit: bodyLimit,
                sourceLocation: sourceLocation)
            if split != whole {
                Issue.record(
                    "split at \(cut) differs: \(split.events) vs \(whole.events)", sourceLocation: sourceLocation)
                break
            }
        }
    }
    return whole
}

/// Expects the input (fed every way) to be rejected with `status`, after `messages` complete requests.
func expectRejected(
    _ input: String, _ status: Int, messages: Int = 0, limits: ParserLimits = ParserLimits(), bodyLimit: Int? = nil,
    _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectRejected(
        Array(input.utf8), status, messages: messages, limits: limits, bodyLimit: bodyLimit, comment,
        sourceLocation: sourceLocation)
}

func expectRejected(
    _ bytes: [UInt8], _ status: Int, messages: Int = 0, limits: ParserLimits = ParserLimits(), bodyLimit: Int? = nil,
    _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    let run = parseAllWays(bytes, limits: limits, bodyLimit: bodyLimit, sourceLocation: sourceLocation)
    #expect(
        run.errorCode == status,
        "\(comment.map { "\($0): " } ?? "")got \(run.events) for \(String(decoding: bytes.prefix(200), as: UTF8.self).debugDescription)",
        sourceLocation: sourceLocation)
    #expect(run.bodies.count == messages, "complete messages before the error", sourceLocation: sourceLocation)
}

/// Expects the input (fed every way) to parse into exactly `count` complete requests with no error and
/// returns the heads and bodies.
@discardableResult
func expectAccepted(
    _ input: String, count: Int = 1, limits: ParserLimits = ParserLimits(), bodyLimit: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> (heads: [HeadSummary], bodies: [String]) {
    let run = parseAllWays(input, limits: limits, bodyLimit: bodyLimit, sourceLocation: sourceLocation)
    #expect(
        run.error == nil, "unexpected \(run.events) for \(input.prefix(200).debugDescription)",
        sourceLocation: sourceLocation)
    #expect(run.bodies.count == count, "messages: \(run.events)", sourceLocation: sourceLocation)
    return (run.heads, run.bodies.map { String(decoding: $0, as: UTF8.self) })
}

/// A minimal valid HTTP/1.1 request line and Host with the given extra header lines and body.
func req(_ method: String = "GET", _ target: String = "/", headers: [String] = [], body: String = "") -> String {
    "\(method) \(target) HTTP/1.1\r\nHost: example.com\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n" + body
}

/// A chunked POST with the given raw chunked body.
func chunked(_ rawBody: String, headers: [String] = []) -> String {
    req("POST", "/upload", headers: ["Transfer-Encoding: chunked"] + headers, body: rawBody)
}
