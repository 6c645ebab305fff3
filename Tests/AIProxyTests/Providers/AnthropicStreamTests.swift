import Foundation
import Kernel
import TestSupport
import Testing

@testable import AIProxy

/// Anthropic streams as OpenAI chunks, from the fake's real event stream.
@Suite struct AnthropicStreamTests {
    private func provider(_ fake: FakeLLM) throws -> AnthropicProvider {
        try AnthropicProvider(
            settings: ProviderFixtures.settings("claude", fake, kind: .anthropic), client: ProviderFixtures.client)
    }

    private func collect(_ fake: FakeLLM, _ request: JSONValue) throws -> (chunks: [JSONValue], usage: TokenUsage?) {
        var chunks: [JSONValue] = []
        var streamed = request
        streamed.set("stream", true)
        let usage = try provider(fake).stream(streamed, deadline: ProviderFixtures.deadline()) { chunk in
            chunks.append(chunk)
            return true
        }
        return (chunks, usage)
    }

    private static func choice(_ chunk: JSONValue) -> JSONValue? { chunk["choices"]?.arrayValue?.first }

    @Test func textStream() throws {
        let fake = try FakeLLM()
        try fake.script([["reply": "Go to Lyon now", "usage": ["prompt": 9, "completion": 4]]])
        let (chunks, usage) = try collect(fake, ProviderFixtures.chatRequest())
        #expect(usage == TokenUsage(promptTokens: 9, completionTokens: 4))
        #expect(chunks.allSatisfy { $0["id"] == "msg_fake" && $0["model"] == "fake-small" })
        #expect(chunks.dropLast().allSatisfy { $0["object"] == "chat.completion.chunk" })
        #expect(Self.choice(chunks[0])?["delta"] == ["role": "assistant", "content": ""])
        let text = chunks.compactMap { Self.choice($0)?["delta"]?["content"]?.stringValue }.joined()
        #expect(text == "Go to Lyon now")
        let finishes = chunks.compactMap { Self.choice($0)?["finish_reason"]?.stringValue }
        #expect(finishes == ["stop"])
        #expect(Self.choice(chunks[chunks.count - 2])?["delta"] == [:])
        let last = try #require(chunks.last)
        #expect(last["choices"] == [])
        #expect(last["usage"] == ["prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13])
        #expect(ProviderFixtures.body(try #require(try fake.requests().first))["stream"] as? Bool == true)
    }

    @Test func toolCallStream() throws {
        let fake = try FakeLLM()
        try fake.script([["tool": ["name": "weather", "arguments": ["city": "Nice"]]]])
        let (chunks, _) = try collect(fake, ProviderFixtures.chatRequest())
        let calls = chunks.compactMap { Self.choice($0)?["delta"]?["tool_calls"]?.arrayValue?.first }
        #expect(
            calls.first == [
                "index": 0, "id": "toolu_1", "type": "function", "function": ["name": "weather", "arguments": ""],
            ])
        let arguments = calls.compactMap { $0["function"]?["arguments"]?.stringValue }.joined()
        #expect(try JSONValue(parsing: arguments) == ["city": "Nice"])
        #expect(calls.dropFirst().allSatisfy { $0["index"] == 0 && $0["id"] == nil })
        #expect(chunks.compactMap { Self.choice($0)?["finish_reason"]?.stringValue } == ["tool_calls"])
    }

    @Test func jsonResponseFormatStreamsAsContent() throws {
        let fake = try FakeLLM()
        try fake.script([["tool": ["name": "json_output", "arguments": ["days": 2]]]])
        var request = ProviderFixtures.chatRequest()
        request.set("response_format", ["type": "json_object"])
        let (chunks, _) = try collect(fake, request)
        let text = chunks.compactMap { Self.choice($0)?["delta"]?["content"]?.stringValue }.joined()
        #expect(try JSONValue(parsing: text) == ["days": 2])
        #expect(chunks.allSatisfy { Self.choice($0)?["delta"]?["tool_calls"] == nil })
        #expect(chunks.compactMap { Self.choice($0)?["finish_reason"]?.stringValue } == ["stop"])
    }

    @Test func droppedStreamIsAConnectionError() throws {
        let fake = try FakeLLM()
        try fake.script([["reply": "a b c d", "drop_after": 1]])
        let error = #expect(throws: ProviderError.self) { try collect(fake, ProviderFixtures.chatRequest()) }
        guard case .connection = error else {
            throw TestFailure("connection expected, got \(String(describing: error))")
        }
    }

    @Test func errorEventsAndStopReasons() throws {
        var translator = AnthropicStreamTranslator(forcesJSON: false, created: 0)
        let overloaded = ServerSentEvent(
            event: "error", data: Array(#"{"type":"error","error":{"type":"overloaded_error","message":"busy"}}"#.utf8))
        let error = #expect(throws: ProviderError.self) { try translator.translate(overloaded) }
        guard case .status(let status, _, "busy") = error else { throw TestFailure("529 expected") }
        #expect(status.code == 529 && error?.isRetryable == true)

        let limit = ServerSentEvent(
            data: Array(
                #"{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":7}}"#.utf8))
        let chunks = try translator.translate(limit)
        #expect(chunks.first?["choices"]?.arrayValue?.first?["finish_reason"] == "length")
        #expect(translator.reportedUsage.completionTokens == 7)
        #expect(throws: ProviderError.self) { try translator.translate(ServerSentEvent(data: Array("{oops".utf8))) }
        #expect(AnthropicResponseTranslator.finishReason("stop_sequence", toolCalls: false) == "stop")
        #expect(AnthropicResponseTranslator.finishReason("refusal", toolCalls: false) == "content_filter")
    }

    @Test func anthropicProviderInTheChain() throws {
        let fake = try FakeLLM()
        try fake.script([["status": 529], ["reply": "fine"]])
        let chain = ProviderChain(settings: ProviderFixtures.chainSettings(), providers: [try provider(fake)])
        var streamed = ProviderFixtures.chatRequest()
        streamed.set("stream", true)
        var text = ""
        let result = try chain.stream(streamed, model: "fake-small") { chunk in
            text += chunk["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue ?? ""
            return true
        }
        #expect(text == "fine" && result.attempts == 2 && result.provider == "claude")
        #expect(result.usage?.completionTokens == 1)
    }
}
