import HTTP
import HTTPClient
import Testing

/// The client against our own HTTP server, in process, over real sockets.
@Suite struct LocalServerTests {
    @Test func getsAndPostsJSON() throws {
        let server = try LocalServer()
        let client = try makeClient()
        let hello = try get(client, server.url + "/whoami")
        #expect(hello.status.code == 200)
        #expect(hello.headers[.contentType] == "text/plain")
        #expect(hello.bodyText.hasPrefix("127.0.0.1:"))

        var headers = HTTPFields()
        headers.append(.contentType, "application/json")
        let json = Array(#"{"q":"Lyon","limit":1}"#.utf8)
        let echoed = try client.execute(
            HTTPClientRequest(method: .post, url: server.url + "/echo", headers: headers, body: json))
        #expect(echoed.status.code == 200)
        #expect(echoed.body == json)
        #expect(echoed.headers[.contentType] == "application/json")
        #expect(echoed.headers["X-Seen-Content-Length"] == String(json.count))
        #expect(echoed.headers["X-Seen-User-Agent"] == "travelsense/1.0")
    }

    @Test func aPostWithoutBodySaysContentLengthZeroAndTheCallersUserAgentWins() throws {
        let server = try LocalServer()
        let client = try makeClient()
        var headers = HTTPFields()
        headers.append(.userAgent, "trips-geocoder/2")
        headers.append(.contentLength, "999")  // framing is the client's business: dropped
        let response = try client.execute(HTTPClientRequest(method: .post, url: server.url + "/echo", headers: headers))
        #expect(response.status.code == 200)
        #expect(response.body.isEmpty)
        #expect(response.headers["X-Seen-Content-Length"] == "0")
        #expect(response.headers["X-Seen-User-Agent"] == "trips-geocoder/2")
    }

    @Test func refusesHeaderNamesThatAreNotTokens() throws {
        let server = try LocalServer()
        let client = try makeClient()
        for name in ["Bad Name", "X-A:", "X-A\r\nInjected"] {
            var headers = HTTPFields()
            headers.append(HTTPFieldName(name), "1")
            let error = clientError { _ = try get(client, server.url + "/whoami", headers: headers) }
            guard case .invalidRequest = error else {
                Issue.record("expected invalidRequest for \(name), got \(String(describing: error))")
                continue
            }
        }
    }

    @Test func readsChunkedResponses() throws {
        let server = try LocalServer()
        let client = try makeClient()
        let streamed = try get(client, server.url + "/stream?chunks=4")
        #expect(streamed.headers[.transferEncoding] == "chunked")
        #expect(streamed.bodyText == "part-0;part-1;part-2;part-3;")
        let large = try get(client, server.url + "/chunked?n=200000")
        #expect(large.body == pattern(200_000))
    }

    @Test func reusesAKeptAliveConnection() throws {
        let server = try LocalServer()
        let client = try makeClient()
        let first = try get(client, server.url + "/whoami").bodyText
        #expect(client.idleConnectionCount == 1)
        let second = try get(client, server.url + "/whoami").bodyText
        // Same client port on the server's side: the same TCP connection carried both requests.
        #expect(first == second)
        #expect(client.idleConnectionCount == 1)
    }

    @Test func connectionCloseIsHonoured() throws {
        let server = try LocalServer()
        let client = try makeClient()
        var headers = HTTPFields()
        headers.append(.connection, "close")
        let first = try get(client, server.url + "/whoami", headers: headers)
        #expect(first.headers[.connection] == "close")
        #expect(client.idleConnectionCount == 0)
        let second = try get(client, server.url + "/whoami")
        #expect(first.bodyText != second.bodyText)
    }

    @Test func bodiesWithoutContentAreNotAwaited() throws {
        let server = try LocalServer()
        let client = try makeClient()
        let port = try get(client, server.url + "/whoami").bodyText
        let head = try client.execute(HTTPClientRequest(method: .head, url: server.url + "/bytes?n=5000"))
        #expect(head.status.code == 200)
        #expect(head.headers[.contentLength] == "5000")
        #expect(head.body.isEmpty)
        let noContent = try get(client, server.url + "/no-content")
        #expect(noContent.status.code == 204)
        #expect(noContent.body.isEmpty)
        let notModified = try get(client, server.url + "/not-modified")
        #expect(notModified.status.code == 304)
        #expect(notModified.headers[.etag] == "\"v1\"")
        // Had the client waited for a body, these would have timed out; had it misread the framing,
        // the connection would not have been reused for this last request.
        #expect(try get(client, server.url + "/whoami").bodyText == port)
    }

    @Test func refusesBodiesOverTheLimit() throws {
        let server = try LocalServer()
        let client = try makeClient { $0.maxResponseBodyBytes = 10_000 }
        #expect(try get(client, server.url + "/bytes?n=10000").body == pattern(10_000))
        #expect(try get(client, server.url + "/chunked?n=10000").body == pattern(10_000))
        #expect(clientError { _ = try get(client, server.url + "/bytes?n=10001") } == .responseTooLarge(limit: 10_000))
        #expect(
            clientError { _ = try get(client, server.url + "/chunked?n=50000") } == .responseTooLarge(limit: 10_000))
        // The half-read connections were closed, not pooled.
        #expect(client.idleConnectionCount == 0)
    }

    @Test func speaksIPv6() throws {
        let server = try LocalServer(host: "::1")
        let client = try makeClient()
        let response = try get(client, server.url + "/whoami")
        #expect(response.status.code == 200)
        #expect(response.bodyText.hasPrefix("[::1]:"))
    }

    @Test func closeEmptiesThePoolAndRefusesLaterRequests() throws {
        let server = try LocalServer()
        let client = try makeClient()
        _ = try get(client, server.url + "/whoami")
        #expect(client.idleConnectionCount == 1)
        client.close()
        #expect(client.idleConnectionCount == 0)
        #expect(clientError { _ = try get(client, server.url + "/whoami") } == .clientClosed)
    }

    @Test func reportsRefusedConnectionsAsTransient() throws {
        let port: Int
        do {
            let server = try RawServer { _, _ in }
            port = server.port
        }  // the listener is closed again: nothing accepts on that port now
        let client = try makeClient()
        let error = clientError { _ = try get(client, "http://127.0.0.1:\(port)/") }
        guard case .connectFailed = error else {
            Issue.record("expected connectFailed, got \(String(describing: error))")
            return
        }
        #expect(error?.isTransient == true)
    }

    @Test func reportsUnknownHostsAsDNSFailures() throws {
        let client = try makeClient()
        let error = clientError { _ = try get(client, "http://no-such-host.invalid/") }
        guard case .dnsFailure(let host, _, _) = error else {
            Issue.record("expected dnsFailure, got \(String(describing: error))")
            return
        }
        #expect(host == "no-such-host.invalid")
    }
}
