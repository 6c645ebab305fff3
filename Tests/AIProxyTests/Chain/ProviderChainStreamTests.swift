import Foundation
import Kernel
import TestSupport
import Testing

@testable import AIProxy

/// Streaming through the chain: fallback only before the first chunk, cancellation reaching the upstream.
@Suite struct ProviderChainStreamTests {
    private func streamRequest(_ text: String, includeUsage: Bool? = nil) -> JSONValue {
        var request = ProviderFixtures.chatRequest(text)
        request.set("stream", true)
        if let includeUsage { request.set("stream_options", ["include_usage": .bool(includeUsage)]) }
        return request
    }

    private static func text(_ chunks: [JSONValue]) -> String {
        chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
    }

    @Test func aFailureBeforeTheFirstChunkFallsBack() throws {
        let first = try FakeLLM()
        let second = try FakeLLM()
        try first.script([["status": 500], ["drop": true]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(maxRetries: 1),
            providers: [try ProviderFixtures.openAI(first, name: "a"), try ProviderFixtures.openAI(second, name: "b")])
        var chunks: [JSONValue] = []
        let result = try chain.stream(streamRequest("go now"), model: "fake-small") { chunk in
            chunks.append(chunk)
            return true
        }
        #expect(result.provider == "b" && result.attempts == 3 && !result.cancelled)
        #expect(result.usage == TokenUsage(promptTokens: 2, completionTokens: 3))
        #expect(Self.text(chunks) == "echo: go now")
        // Not asked for: no usage chunk, no usage members.
        #expect(chunks.allSatisfy { $0["usage"] == nil })
        #expect(chunks.allSatisfy { $0["choices"]?.arrayValue?.isEmpty == false })
    }

    @Test func usageChunkOnlyWhenAskedFor() throws {
        let fake = try FakeLLM()
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(), providers: [try ProviderFixtures.openAI(fake)])
        var chunks: [JSONValue] = []
        let result = try chain.stream(streamRequest("a b", includeUsage: true), model: "fake-small") { chunk in
            chunks.append(chunk)
            return true
        }
        #expect(result.usage == TokenUsage(promptTokens: 2, completionTokens: 3))
        #expect(chunks.last?["choices"]?.arrayValue?.isEmpty == true)
        #expect(chunks.last?["usage"]?["total_tokens"] == 5)
    }

    @Test func aDropAfterTheFirstChunkEndsTheStreamWithoutFallback() throws {
        let first = try FakeLLM()
        let second = try FakeLLM()
        try first.script([["drop_after": 2]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(),
            providers: [try ProviderFixtures.openAI(first, name: "a"), try ProviderFixtures.openAI(second, name: "b")])
        var chunks: [JSONValue] = []
        let error = #expect(throws: GatewayError.self) {
            try chain.stream(streamRequest("one two three four"), model: "fake-small") { chunk in
                chunks.append(chunk)
                return true
            }
        }
        guard case .allProvidersFailed(_, false, false) = error else {
            throw TestFailure("allProvidersFailed expected, got \(String(describing: error))")
        }
        #expect(Self.text(chunks) == "echo: one")
        #expect(try first.requests().count == 1, "no retry once a chunk went out")
        #expect(try second.requests().isEmpty, "no fallback once a chunk went out")
    }

    @Test func cancellationClosesTheUpstreamCall() throws {
        let fake = try FakeLLM()
        try fake.script([["chunk_delay": 0.2]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(), providers: [try ProviderFixtures.openAI(fake)])
        var received = 0
        let text = Array(repeating: "word", count: 30).joined(separator: " ")
        let result = try chain.stream(streamRequest(text), model: "fake-small") { _ in
            received += 1
            return received < 2  // the role chunk, then the first word: the client goes away
        }
        #expect(result.cancelled)
        #expect(result.attempts == 1)
        #expect(received == 2)
        #expect(eventually(seconds: 5) { (try? fake.requests().first?["aborted"] as? Bool) == true })
        #expect(try fake.requests().count == 1, "a cancelled stream is not retried")
    }

    @Test func aThrowingConsumerCancelsToo() throws {
        let fake = try FakeLLM()
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(), providers: [try ProviderFixtures.openAI(fake)])
        let result = try chain.stream(streamRequest("x y z"), model: "fake-small") { _ in
            throw TestFailure("the socket is gone")
        }
        #expect(result.cancelled)
        #expect(try fake.requests().count == 1)
    }
}
