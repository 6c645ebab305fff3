import Foundation
import HTTP
import HTTPClient
import Synchronization
import Testing

/// The pool's reuse rules and the retry-once rule, against a raw server that closes connections at
/// chosen moments.
@Suite struct KeepAliveTests {
    static let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    /// Connection 0 answers its first request and then closes on the second without answering, as a
    /// server does when its idle timeout fires just as the request arrives. Later connections answer all.
    static func closingServer(requests: Requests) throws -> RawServer {
        try RawServer { peer, index in
            while let request = peer.readRequest() {
                requests.record(request, on: index)
                if index == 0 && requests.count(on: 0) == 2 { return }
                peer.write(ok)
            }
        }
    }

    @Test func anIdempotentRequestIsRetriedOnceOnAFreshConnection() throws {
        let requests = Requests()
        let server = try Self.closingServer(requests: requests)
        let client = try makeClient()
        #expect(try get(client, server.url + "/first").bodyText == "ok")
        #expect(client.idleConnectionCount == 1)
        let response = try client.execute(HTTPClientRequest(method: .put, url: server.url + "/second", body: [1]))
        #expect(response.bodyText == "ok")
        #expect(server.accepted == 2)
        #expect(requests.lines(on: 0) == ["GET /first HTTP/1.1", "PUT /second HTTP/1.1"])
        #expect(requests.lines(on: 1) == ["PUT /second HTTP/1.1"])
    }

    @Test func aPostIsNotRetriedOnceSent() throws {
        let requests = Requests()
        let server = try Self.closingServer(requests: requests)
        let client = try makeClient()
        #expect(try get(client, server.url + "/first").bodyText == "ok")
        let error = clientError {
            _ = try client.execute(HTTPClientRequest(method: .post, url: server.url + "/pay", body: Array("{}".utf8)))
        }
        #expect(error == .connectionClosed("the server closed the connection without responding"))
        #expect(error?.isTransient == true)
        #expect(server.accepted == 1)
        #expect(requests.lines(on: 0) == ["GET /first HTTP/1.1", "POST /pay HTTP/1.1"])
    }

    @Test func aFreshConnectionThatDiesIsNotRetried() throws {
        let server = try RawServer { peer, _ in _ = peer.readRequest() }
        let client = try makeClient()
        let error = clientError { _ = try get(client, server.url + "/") }
        #expect(error == .connectionClosed("the server closed the connection without responding"))
        #expect(server.accepted == 1)
    }

    @Test func anIdleConnectionTheServerClosedIsNotUsedTwice() throws {
        // The server answers one request per connection and closes, without saying so.
        let closed = Requests()
        let server = try RawServer { peer, index in
            guard let request = peer.readRequest() else { return }
            peer.write(Self.ok)
            peer.close()
            closed.record(request, on: index)
        }
        let client = try makeClient()
        for _ in 0..<3 { #expect(try get(client, server.url + "/").bodyText == "ok") }
        // Whether the close was noticed in the pool or on the first read, each GET got an answer on a
        // new connection.
        #expect(server.accepted == 3)
    }

    @Test func serverConnectionCloseIsHonoured() throws {
        let server = try RawServer { peer, _ in
            guard peer.readRequest() != nil else { return }
            peer.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
            _ = peer.waitForClose()
        }
        let client = try makeClient()
        #expect(try get(client, server.url + "/").bodyText == "ok")
        #expect(client.idleConnectionCount == 0)
        #expect(try get(client, server.url + "/").bodyText == "ok")
        #expect(server.accepted == 2)
    }

    @Test func anHTTP10ResponseIsReusedOnlyWhenItAsksForKeepAlive() throws {
        let server = try RawServer { peer, index in
            while peer.readRequest() != nil {
                let keep = index == 0 ? "Connection: keep-alive\r\n" : ""
                peer.write("HTTP/1.0 200 OK\r\n\(keep)Content-Length: 2\r\n\r\nok")
            }
        }
        let client = try makeClient()
        _ = try get(client, server.url + "/")
        _ = try get(client, server.url + "/")
        #expect(server.accepted == 1)
    }

    @Test func idleConnectionsPerHostAreCapped() throws {
        // No connection is answered until four are open, so four requests hold four connections at once.
        let arrived = Requests()
        let server = try RawServer { peer, index in
            guard let request = peer.readRequest() else { return }
            arrived.record(request, on: index)
            let deadline = ContinuousClock.now + .seconds(5)
            while arrived.connections < 4 && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.005) }
            peer.write(Self.ok)
            _ = peer.waitForClose()
        }
        let client = try makeClient { $0.maxIdleConnectionsPerHost = 2 }
        try onThreads(4) {
            let body = try get(client, server.url + "/").bodyText
            guard body == "ok" else { throw TestFailure("unexpected body \(body)") }
        }
        #expect(server.accepted == 4)
        #expect(client.idleConnectionCount == 2)
    }

    @Test func expiredIdleConnectionsAreNotReused() throws {
        let server = try LocalServer()
        let client = try makeClient { $0.idleTimeout = .zero }
        let first = try get(client, server.url + "/whoami").bodyText
        let second = try get(client, server.url + "/whoami").bodyText
        #expect(first != second)
    }
}

/// Request lines seen per connection; written by the server's threads, read by the test.
final class Requests: Sendable {
    private let seen = Mutex<[Int: [String]]>([:])

    func record(_ request: String, on connection: Int) {
        let line = String(request.split(separator: "\r\n", maxSplits: 1).first ?? "")
        seen.withLock { $0[connection, default: []].append(line) }
    }

    func count(on connection: Int) -> Int { seen.withLock { $0[connection]?.count ?? 0 } }
    func lines(on connection: Int) -> [String] { seen.withLock { $0[connection] ?? [] } }
    /// Connections that have sent at least one request.
    var connections: Int { seen.withLock { $0.count } }
}

/// Runs `body` on `count` threads at once and waits for all; rethrows the first error.
func onThreads(_ count: Int, _ body: @escaping @Sendable () throws -> Void) throws {
    let failures = Requests()
    let group = DispatchGroup()
    for _ in 0..<count {
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            do { try body() } catch { failures.record("\(error)", on: 0) }
        }
    }
    group.wait()
    if let first = failures.lines(on: 0).first { throw TestFailure(first) }
}
