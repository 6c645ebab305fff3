import HTTP
import HTTPClient
import Testing

/// Responses no well-behaved server sends, written byte for byte by a raw socket server: the client must
/// refuse them with a clear error, never crash, and never pool the connection.
@Suite struct MalformedResponseTests {
    /// The error a GET gets when the server answers `raw` and closes.
    static func error(for raw: String) throws -> HTTPClientError? {
        let server = try RawServer { peer, _ in
            guard peer.readRequest() != nil else { return }
            peer.write(raw)
        }
        let client = try makeClient()
        let error = clientError { _ = try get(client, server.url + "/") }
        #expect(client.idleConnectionCount == 0)
        return error
    }

    /// The response a GET gets when the server answers `raw` and closes.
    static func response(for raw: String) throws -> HTTPClientResponse {
        let server = try RawServer { peer, _ in
            guard peer.readRequest() != nil else { return }
            peer.write(raw)
        }
        return try get(try makeClient(), server.url + "/")
    }

    @Test(arguments: [
        ("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n", "invalid status code"),
        ("HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n", "status line is not HTTP/1.x"),
        ("ICY 200 OK\r\n\r\n", "status line is not HTTP/1.x"),
        ("HTTP/1.1 200  OK\u{1}\r\n\r\n", "invalid reason phrase"),
        ("HTTP/1.1 099 Low\r\n\r\n", "status code 99 out of range"),
        ("HTTP/1.1 600 High\r\n\r\n", "status code 600 out of range"),
        ("\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "status line is not HTTP/1.x"),
    ])
    func refusesBadStatusLines(_ raw: String, _ reason: String) throws {
        #expect(malformedReason(try Self.error(for: raw)) == reason)
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\nContent-Length: 0\n\n", "bare LF in the head"),
        ("HTTP/1.1 200 OK\r\nX-A: 1\rX-B: 2\r\n\r\n", "bare CR in the head"),
        (
            "HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n",
            "obsolete line folding or whitespace before a field name"
        ),
        ("HTTP/1.1 200 OK\r\nX-A : 1\r\nContent-Length: 0\r\n\r\n", "invalid field name"),
        ("HTTP/1.1 200 OK\r\nX(A): 1\r\nContent-Length: 0\r\n\r\n", "invalid field name"),
        ("HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", "invalid field name"),
        ("HTTP/1.1 200 OK\r\nX-A: a\u{0}b\r\nContent-Length: 0\r\n\r\n", "invalid character in a field value"),
    ])
    func refusesBadFieldLines(_ raw: String, _ reason: String) throws {
        #expect(malformedReason(try Self.error(for: raw)) == reason)
    }

    @Test(arguments: [
        ("Content-Length: 5\r\nContent-Length: 6", "conflicting Content-Length"),
        ("Content-Length: 5, 6", "conflicting Content-Length"),
        ("Content-Length: +5", "Content-Length is not digits"),
        ("Content-Length: -1", "Content-Length is not digits"),
        ("Content-Length: 0x5", "Content-Length is not digits"),
        ("Content-Length: 99999999999999999999", "Content-Length overflows"),
        ("Content-Length: ", "empty Content-Length"),
        ("Content-Length: 5\r\nTransfer-Encoding: chunked", "both Content-Length and Transfer-Encoding"),
        ("Transfer-Encoding: gzip, chunked", "unsupported transfer coding gzip, chunked"),
        ("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", "unsupported transfer coding chunked, chunked"),
    ])
    func refusesBadFraming(_ fields: String, _ reason: String) throws {
        #expect(malformedReason(try Self.error(for: "HTTP/1.1 200 OK\r\n\(fields)\r\n\r\nhello")) == reason)
    }

    @Test func agreeingDuplicateLengthsAreOne() throws {
        let response = try Self.response(
            for: "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\nhello")
        #expect(response.bodyText == "hello")
    }

    @Test(arguments: [
        ("ffffffffffffffffff\r\n", "chunk size overflows"),
        ("-5\r\nhello\r\n0\r\n\r\n", "invalid chunk size"),
        ("\r\nhello\r\n0\r\n\r\n", "invalid chunk size"),
        ("5\nhello\r\n0\r\n\r\n", "invalid chunk size"),
        ("5\r\nhelloXY0\r\n\r\n", "chunk data not followed by CRLF"),
        ("5;ext=\u{1}\r\nhello\r\n0\r\n\r\n", "invalid chunk extension"),
        ("5\r\nhello\r\n0\r\nX y: 1\r\n\r\n", "invalid trailer field name"),
        ("5\r\nhello\r\n0\r\n folded\r\n\r\n", "invalid trailer field"),
    ])
    func refusesBadChunkedBodies(_ body: String, _ reason: String) throws {
        let raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body
        #expect(malformedReason(try Self.error(for: raw)) == reason)
    }

    @Test func decodesChunkExtensionsAndDropsTrailers() throws {
        let response = try Self.response(
            for: "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "5;name=\"quoted;value\"\r\nhello\r\n1 ; x\r\n,\r\n9\r\n and more\r\n0\r\nX-Checksum: abc\r\n\r\n")
        #expect(response.bodyText == "hello, and more")
        #expect(response.headers["X-Checksum"] == nil)
    }

    @Test func refusesAHeadLargerThan64KiB() throws {
        let filler = String(repeating: "X-Filler: \(String(repeating: "a", count: 1000))\r\n", count: 70)
        let reason = malformedReason(try Self.error(for: "HTTP/1.1 200 OK\r\n\(filler)\r\n"))
        #expect(reason == "head larger than 65536 bytes")
    }

    @Test func aTruncatedBodyIsATransientError() throws {
        let error = try Self.error(for: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")
        #expect(error == .connectionClosed("the server closed the connection before the body was complete"))
        #expect(error?.isTransient == true)
        let chunked = try Self.error(for: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        #expect(chunked == .connectionClosed("the server closed the connection before the body was complete"))
    }

    @Test func aTruncatedHeadIsAnError() throws {
        let error = try Self.error(for: "HTTP/1.1 200 OK\r\nContent-Le")
        #expect(error == .connectionClosed("the server closed the connection in the middle of the response head"))
    }

    @Test func aBodyWithoutLengthEndsWithTheConnection() throws {
        let server = try RawServer { peer, _ in
            guard peer.readRequest() != nil else { return }
            peer.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            peer.write("read until ")
            peer.write("close")
        }
        let client = try makeClient()
        let response = try get(client, server.url + "/")
        #expect(response.bodyText == "read until close")
        #expect(client.idleConnectionCount == 0)
    }

    @Test func skipsInterimResponses() throws {
        let response = try Self.response(
            for: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
        #expect(response.status.code == 201)
        #expect(response.headers["Link"] == nil)
        #expect(response.bodyText == "ok")
    }

    @Test func refusesAnUnaskedProtocolSwitch() throws {
        let error = try Self.error(for: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
        #expect(malformedReason(error) == "unexpected 101 Switching Protocols")
    }

    @Test func acceptsAStatusLineWithoutReasonAndHTTP10() throws {
        let bare = try Self.response(for: "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n")
        #expect(bare.status.code == 404)
        let old = try Self.response(for: "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold")
        #expect(old.bodyText == "old")
    }

    @Test func strayBytesAfterTheBodyKeepTheConnectionOutOfThePool() throws {
        let server = try RawServer { peer, _ in
            guard peer.readRequest() != nil else { return }
            peer.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            _ = peer.waitForClose()
        }
        let client = try makeClient()
        #expect(try get(client, server.url + "/").bodyText == "ok")
        #expect(client.idleConnectionCount == 0)
    }

    @Test func aServerThatNeverAnswersRunsIntoTheDeadline() throws {
        let server = try RawServer { peer, _ in
            guard peer.readRequest() != nil else { return }
            _ = peer.waitForClose()  // hold the connection open, say nothing
        }
        let client = try makeClient()
        let error = clientError {
            _ = try client.execute(HTTPClientRequest(url: server.url + "/slow"), timeout: .milliseconds(200))
        }
        #expect(error == .timeout("waiting for the response"))
        #expect(error?.isTransient == true)
        #expect(client.idleConnectionCount == 0)
    }
}
