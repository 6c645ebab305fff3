import Testing

/// A request head (and optional body) as raw text: `Host` is added unless `host` is nil.
func request(
    _ method: String = "GET", _ target: String, version: String = "HTTP/1.1", host: String? = "t",
    headers: [String] = [], body: String = ""
) -> String {
    var s = "\(method) \(target) \(version)\r\n"
    if let host { s += "Host: \(host)\r\n" }
    for h in headers { s += h + "\r\n" }
    return s + "\r\n" + body
}

/// A POST with a Content-Length body.
func post(_ target: String, _ body: String, headers: [String] = []) -> String {
    request("POST", target, headers: ["Content-Length: \(body.utf8.count)"] + headers, body: body)
}

/// A request that must never reach a handler when it follows an attack on the same connection.
let smuggledRequest = "GET /items/smuggled HTTP/1.1\r\nHost: t\r\n\r\n"

/// The things every response carries (DESIGN §2, §6).
func expectCommonHeaders(_ r: RawResponse, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.version == "HTTP/1.1", sourceLocation: sourceLocation)
    #expect(r.values("date").count == 1, "Date on \(r.status)", sourceLocation: sourceLocation)
    if let date = r.header("date") {
        #expect(isIMFFixdate(date), "Date \(date.debugDescription)", sourceLocation: sourceLocation)
    }
    #expect(r.header("x-content-type-options") == "nosniff", sourceLocation: sourceLocation)
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 §5.6.7).
func isIMFFixdate(_ s: String) -> Bool {
    let b = Array(s.utf8)
    guard b.count == 29, s.hasSuffix(" GMT"), b[3] == 0x2C, b[4] == 0x20, b[7] == 0x20, b[11] == 0x20,
        b[16] == 0x20, b[19] == 0x3A, b[22] == 0x3A
    else { return false }
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return days.contains(String(s.prefix(3))) && months.contains(String(decoding: b[8..<11], as: UTF8.self))
}

/// A problem+json body naming `status`.
func expectProblem(_ r: RawResponse, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == status, "\(r)", sourceLocation: sourceLocation)
    #expect(r.header("content-type") == "application/problem+json", sourceLocation: sourceLocation)
    #expect(r.bodyString.contains("\"status\":\(status)"), "\(r.bodyString)", sourceLocation: sourceLocation)
    #expect(r.header("content-length") == String(r.body.count), sourceLocation: sourceLocation)
    expectCommonHeaders(r, sourceLocation: sourceLocation)
}

/// A parser verdict: exactly one problem+json response with `Connection: close`, then the server
/// closes; nothing sent after the offending bytes is answered.
@discardableResult
func expectVerdict(_ c: RawClient, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) -> RawResponse? {
    let (responses, closed, error) = c.readAllUntilClose()
    #expect(
        responses.count == 1, "responses: \(responses), error: \(String(describing: error))",
        sourceLocation: sourceLocation)
    #expect(closed, "the server must close after a \(status)", sourceLocation: sourceLocation)
    guard let r = responses.first else { return nil }
    expectProblem(r, status, sourceLocation: sourceLocation)
    #expect(r.saysClose, "Connection: close on \(status)", sourceLocation: sourceLocation)
    return r
}

/// The connection still works and is in sync: a fresh request gets its own answer.
func expectAlive(_ c: RawClient, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        try c.send(request("GET", "/items/alive"))
        let r = try c.readFinalResponse().final
        #expect(r.status == 200, "\(r)", sourceLocation: sourceLocation)
        #expect(r.bodyString == "item alive", sourceLocation: sourceLocation)
        #expect(!r.saysClose, sourceLocation: sourceLocation)
        #expect(c.unreadBytes.isEmpty, "stray bytes: \(c.unreadBytes)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("follow-up request failed: \(error)", sourceLocation: sourceLocation)
    }
}
