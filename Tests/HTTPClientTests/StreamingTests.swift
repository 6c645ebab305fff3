import Foundation
import HTTP
import HTTPClient
import Synchronization
import Testing

/// The streaming variant: body pieces arrive as they are read, and the caller can stop.
@Suite struct StreamingTests {
    @Test func chunksArriveBeforeTheResponseEnds() throws {
        // The server sends the second chunk only after the client has handed the first one over, so a
        // client that buffered the body would wait for it forever (until its deadline).
        let delivered = DispatchSemaphore(value: 0)
        let server = try RawServer { peer, _ in
            guard peer.readRequest() != nil else { return }
            peer.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
            peer.write("d\r\ndata: first\n\n\r\n")
            guard delivered.wait(timeout: .now() + 5) == .success else { return }
            peer.write("e\r\ndata: second\n\n\r\n0\r\n\r\n")
            _ = peer.waitForClose()
        }
        let client = try makeClient()
        var chunks: [String] = []
        var status = 0
        let head = try client.execute(
            HTTPClientRequest(url: server.url + "/events"),
            onResponseHead: { head in
                status = head.status.code
                return true
            },
            onBodyChunk: { piece in
                chunks.append(String(decoding: piece, as: UTF8.self))
                delivered.signal()
                return true
            })
        #expect(status == 200)
        #expect(head.headers[.contentType] == "text/event-stream")
        #expect(chunks == ["data: first\n\n", "data: second\n\n"])
        #expect(client.idleConnectionCount == 1)  // read to the end: reusable
    }

    @Test func stoppingClosesTheConnection() throws {
        let sawClose = DispatchSemaphore(value: 0)
        let server = try RawServer { peer, _ in
            guard peer.readRequest() != nil else { return }
            peer.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n")
            if peer.waitForClose() { sawClose.signal() }
        }
        let client = try makeClient()
        var chunks: [[UInt8]] = []
        try client.execute(
            HTTPClientRequest(url: server.url + "/events"), onResponseHead: { _ in true },
            onBodyChunk: { piece in
                chunks.append(piece)
                return false
            })
        #expect(chunks == [Array("first".utf8)])
        #expect(client.idleConnectionCount == 0)
        #expect(sawClose.wait(timeout: .now() + 5) == .success)
    }

    @Test func aThrowingCallbackStopsAndItsErrorIsRethrown() throws {
        struct Enough: Error, Equatable {}
        let server = try LocalServer()
        let client = try makeClient()
        var pieces = 0
        #expect(throws: Enough()) {
            try client.execute(
                HTTPClientRequest(url: server.url + "/chunked?n=100000"), onResponseHead: { _ in true },
                onBodyChunk: { _ in
                    pieces += 1
                    throw Enough()
                })
        }
        #expect(pieces == 1)
        #expect(client.idleConnectionCount == 0)
        // Stopping at the head works too, and the head is still returned.
        let head = try client.execute(
            HTTPClientRequest(url: server.url + "/no-content"), onResponseHead: { _ in false },
            onBodyChunk: { _ in true })
        #expect(head.status.code == 204)
    }

    @Test func aStreamedBodyIsNotLimitedLikeABufferedOne() throws {
        let server = try LocalServer()
        let client = try makeClient { $0.maxResponseBodyBytes = 1000 }
        var received = 0
        try client.execute(
            HTTPClientRequest(url: server.url + "/chunked?n=50000"), onResponseHead: { _ in true },
            onBodyChunk: { piece in
                received += piece.count
                return true
            })
        #expect(received == 50_000)
    }
}
