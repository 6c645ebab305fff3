import Foundation
import TestSupport
import Testing

@testable import AIProxy

/// `stream: true`: server-sent events in OpenAI's shape ending with `[DONE]`, the usage chunk only when
/// asked (usage always recorded), and a client leaving mid-stream cancelling the upstream call.
@Suite struct GatewayStreamTests {
    @Test func streamsEventsAndRecordsUsage() throws {
        let kit = try GatewayKit()
        let user = try kit.app.register()
        let plain = try kit.chat(user.accessToken, GatewayKit.body("one two three", extra: ["stream": true]))
        #expect(plain.status == 200)
        #expect(plain.header("Content-Type") == "text/event-stream")
        #expect(plain.header("Cache-Control") == "no-cache")
        #expect(plain.header("X-Accel-Buffering") == "no")
        let events = GatewayKit.events(plain.raw.body)
        #expect(events.last == "[DONE]")
        let chunks = events.dropLast().compactMap(GatewayKit.object)
        #expect(chunks.count == events.count - 1)
        #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
        #expect(chunks.allSatisfy { $0["usage"] == nil })
        let text = chunks.compactMap {
            (($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["content"] as? String
        }.joined()
        #expect(text == "echo: one two three")

        let counted = try kit.chat(
            user.accessToken,
            GatewayKit.body("four five", extra: ["stream": true, "stream_options": ["include_usage": true]]))
        let countedChunks = GatewayKit.events(counted.raw.body).dropLast().compactMap(GatewayKit.object)
        let usageChunks = countedChunks.filter { ($0["choices"] as? [Any])?.isEmpty == true }
        #expect(usageChunks.count == 1)
        let usage = try #require(usageChunks.first?["usage"] as? [String: Any])

        let rows = try kit.usageRows(user.id)
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.stream && $0.status == "ok" })
        #expect(rows[0].promptTokens > 0)  // recorded although the client did not ask for usage
        #expect(rows[0].completionTokens == 4)  // "echo: one two three"
        #expect(rows[1].promptTokens == usage["prompt_tokens"] as? Int)
        #expect(rows[1].completionTokens == usage["completion_tokens"] as? Int)
        #expect(
            rows[1].costNanos
                == GatewayKit.smallPrice.costNanos(input: rows[1].promptTokens, output: rows[1].completionTokens))
    }

    @Test func clientLeavingCancelsTheUpstream() throws {
        let kit = try GatewayKit()
        let user = try kit.app.register()
        try kit.fake.script([["chunk_delay": 0.3, "reply": "a b c d e f g h i j k l m n o p"]])
        let body = #"{"model":"fake-small","stream":true,"messages":[{"role":"user","content":"go"}]}"#
        let client = try RawClient(port: kit.app.port, timeout: .seconds(10))
        try client.send(
            request(
                "POST", "/v1/ai/chat/completions",
                headers: [
                    "Authorization: Bearer \(user.accessToken)", "Content-Type: application/json",
                    "Content-Length: \(body.utf8.count)",
                ], body: body))
        // The head, then the first chunk of the chunked body: the first event.
        while !(try client.readLine("the head")).isEmpty {}
        let size = Int(String(decoding: try client.readLine("a chunk size"), as: UTF8.self), radix: 16) ?? 0
        let chunk = String(decoding: try client.readExactly(size, "the first event"), as: UTF8.self)
        let sawEvent = chunk.hasPrefix("data: {")
        #expect(sawEvent)
        client.close()

        #expect(
            eventually(seconds: 10) {
                (try? kit.fake.requests().last?["aborted"] as? Bool) == true
            })
        var rows: [GatewayKit.UsageRow] = []
        #expect(
            eventually(seconds: 10) {
                rows = (try? kit.usageRows(user.id)) ?? []
                return rows.count == 1
            })
        #expect(rows.first?.status == "cancelled")
        #expect(rows.first?.stream == true)
    }
}
