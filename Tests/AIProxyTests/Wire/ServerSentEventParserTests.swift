import Kernel
import Testing

@testable import AIProxy

@Suite struct ServerSentEventParserTests {
    /// Parses `text` fed in the given pieces, then finishes.
    private func parse(_ pieces: [[UInt8]]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for piece in pieces { events += try parser.feed(piece) }
        parser.finish()
        return events
    }

    private func event(_ data: String, _ name: String? = nil, id: String? = nil) -> ServerSentEvent {
        ServerSentEvent(event: name, data: Array(data.utf8), id: id)
    }

    /// A stream exercising every rule: names, multi-line data, comments, both line endings and a lone
    /// CR, an optional space, a field without colon, an event without data, unknown fields.
    static let mixed = Array(
        (": keep-alive comment\r\n"
            + "event: message_start\r\ndata: {\"a\":1}\r\n\r\n"
            + "data: line one\ndata:line two\ndata\n\n"
            + "event: ping\n\n"
            + "id: 7\rretry: 100\rdata:  two spaces\r\r"
            + "unknown: x\ndata: [DONE]\n\n"
            + "data: unfinished").utf8)

    static let expected = [
        ServerSentEvent(event: "message_start", data: Array("{\"a\":1}".utf8)),
        ServerSentEvent(data: Array("line one\nline two\n".utf8)),
        ServerSentEvent(data: Array(" two spaces".utf8), id: "7"),
        ServerSentEvent(data: Array("[DONE]".utf8), id: "7"),
    ]

    @Test func wholeStream() throws {
        let events = try parse([Self.mixed])
        #expect(events == Self.expected)
        #expect(events.last?.isDone == true)
    }

    @Test func everySplitPointGivesTheSameEvents() throws {
        for cut in 0...Self.mixed.count {
            let events = try parse([Array(Self.mixed[..<cut]), Array(Self.mixed[cut...])])
            #expect(events == Self.expected, "split at \(cut)")
        }
    }

    @Test func randomChunkingGivesTheSameEvents() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var pieces: [[UInt8]] = []
            var index = 0
            while index < Self.mixed.count {
                let size = Int.random(in: 0...7, using: &generator)
                let end = min(Self.mixed.count, index + size)
                pieces.append(Array(Self.mixed[index..<end]))
                index = end
            }
            #expect(try parse(pieces) == Self.expected)
        }
    }

    @Test func byteAtATime() throws {
        #expect(try parse(Self.mixed.map { [$0] }) == Self.expected)
    }

    @Test func crlfSplitBetweenChunksIsOneLineEnd() throws {
        // "data: a\r" | "\n\r\n": the LF belongs to the CR before it, then CRLF ends the event.
        let events = try parse([Array("data: a\r".utf8), Array("\n\r\n".utf8)])
        #expect(events == [event("a")])
        // A lone CR at a chunk's end followed by another line: two lines, not one.
        let two = try parse([Array("data: a\r".utf8), Array("data: b\r\r".utf8)])
        #expect(two == [event("a\nb")])
    }

    @Test func unfinishedEventIsDropped() throws {
        #expect(try parse([Array("data: {\"partial\"".utf8)]).isEmpty)
        #expect(try parse([Array("data: x\n".utf8)]).isEmpty)
    }

    @Test func endlessLineIsRefused() throws {
        var parser = ServerSentEventParser()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 1024 * 1024)
        #expect(throws: ServerSentEventParser.Failure.eventTooLarge) {
            for _ in 0..<9 { _ = try parser.feed(piece) }
        }
    }

    @Test func encoderRoundTrips() throws {
        let chunk: JSONValue = ["id": "c1", "choices": [["delta": ["content": "a\nb\r\n"]]]]
        let encoded = ServerSentEventEncoder.encode(chunk)
        #expect(String(decoding: encoded, as: UTF8.self).hasPrefix("data: {\"id\":\"c1\""))
        #expect(encoded.suffix(2) == [0x0A, 0x0A])
        let parsed = try parse([encoded, ServerSentEventEncoder.done])
        #expect(parsed.count == 2)
        #expect(parsed[0].data == chunk.bytes)
        #expect(parsed[1].isDone)

        let general = ServerSentEventEncoder.encode(data: Array("one\r\ntwo\rthree\nfour".utf8), event: "x\ny")
        #expect(try parse([general]) == [event("one\ntwo\nthree\nfour", "xy")])
    }
}
