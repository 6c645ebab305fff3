import Foundation
import HTTP
import Kernel
import TestSupport
import Testing

@testable import AIProxy

@Suite struct OpenAIProviderTests {
    @Test func completesAndPassesUnknownFieldsThrough() throws {
        let fake = try FakeLLM(key: "sk-test")
        let provider = try ProviderFixtures.openAI(fake, key: "sk-test")
        var request = ProviderFixtures.chatRequest("hello there")
        request.set("x_vendor_knob", ["nested": [1, 2.5, "three", nil]])
        request.set("temperature", 0.2)
        request.set("stream_options", ["include_usage": true])

        let answer = try provider.complete(request, deadline: ProviderFixtures.deadline())

        #expect(answer.body["object"] == "chat.completion")
        #expect(answer.body["choices"]?.arrayValue?.first?["message"]?["content"] == "echo: hello there")
        #expect(answer.usage == TokenUsage(promptTokens: 2, completionTokens: 3))
        let record = try #require(try fake.requests().first)
        #expect(record["path"] as? String == "/v1/chat/completions")
        #expect(ProviderFixtures.headers(record)["authorization"] == "Bearer sk-test")
        let body = ProviderFixtures.body(record)
        #expect((body["x_vendor_knob"] as? [String: Any])?["nested"] as? NSArray == [1, 2.5, "three", NSNull()])
        #expect(body["temperature"] as? Double == 0.2)
        #expect(body["stream_options"] == nil, "stream_options is refused without stream")
        #expect(Set(body.keys) == ["model", "messages", "x_vendor_knob", "temperature"])
    }

    @Test func noKeyNoAuthorization() throws {
        let fake = try FakeLLM()
        let provider = try ProviderFixtures.openAI(fake)
        _ = try provider.complete(ProviderFixtures.chatRequest(), deadline: ProviderFixtures.deadline())
        let record = try #require(try fake.requests().first)
        #expect(ProviderFixtures.headers(record)["authorization"] == nil)
    }

    @Test func wrongKeyIsRejected() throws {
        let fake = try FakeLLM(key: "sk-right")
        let provider = try ProviderFixtures.openAI(fake, key: "sk-wrong")
        let error = #expect(throws: ProviderError.self) {
            try provider.complete(ProviderFixtures.chatRequest(), deadline: ProviderFixtures.deadline())
        }
        guard case .status(let status, _, let message) = error else {
            throw TestFailure("\(String(describing: error))")
        }
        #expect(status.code == 401)
        #expect(message == "invalid api key")
        #expect(error?.isRetryable == false)
    }

    @Test func toolCallAnswer() throws {
        let fake = try FakeLLM()
        try fake.script([["tool": ["name": "get_weather", "arguments": ["city": "Lyon"]]]])
        let answer = try ProviderFixtures.openAI(fake).complete(
            ProviderFixtures.chatRequest(), deadline: ProviderFixtures.deadline())
        let choice = try #require(answer.body["choices"]?.arrayValue?.first)
        #expect(choice["finish_reason"] == "tool_calls")
        #expect(choice["message"]?["tool_calls"]?.arrayValue?.first?["function"]?["name"] == "get_weather")
    }

    @Test func errorsAreMapped() throws {
        let fake = try FakeLLM()
        let provider = try ProviderFixtures.openAI(fake)
        let date = HTTPDate.imfFixdate(time(nil) + 3)
        try fake.script([
            ["status": 429, "headers": ["Retry-After": "7"], "body": ["error": ["message": "slow down"]]],
            ["status": 503, "headers": ["Retry-After": date]],
            ["status": 500, "headers": ["retry-after-ms": "1500"]],
            ["raw": "{not json"],
            ["raw": "{\"id\":\"x\"}"],
            ["drop": true],
            ["delay": 1.5],
        ])
        func failure() -> ProviderError? {
            do {
                _ = try provider.complete(ProviderFixtures.chatRequest(), deadline: .now + .seconds(1))
                return nil
            } catch {
                return error
            }
        }
        guard case .status(let s1, let r1, let m1) = failure() else { throw TestFailure("429 expected") }
        #expect(s1.code == 429 && r1 == .seconds(7) && m1 == "slow down")
        guard case .status(let s2, let r2, let m2) = failure() else { throw TestFailure("503 expected") }
        #expect(s2.code == 503 && m2 == "scripted failure")
        #expect(r2.map { $0 > .seconds(1) && $0 <= .seconds(3) } == true)
        guard case .status(_, let r3, _) = failure() else { throw TestFailure("500 expected") }
        #expect(r3 == .milliseconds(1500))
        guard case .malformed = failure() else { throw TestFailure("malformed expected") }
        guard case .malformed = failure() else { throw TestFailure("malformed (no choices) expected") }
        guard case .connection = failure() else { throw TestFailure("connection expected") }
        guard case .timeout = failure() else { throw TestFailure("timeout expected") }
    }

    @Test func streamsChunksAndUsage() throws {
        let fake = try FakeLLM()
        let provider = try ProviderFixtures.openAI(fake)
        var request = ProviderFixtures.chatRequest("one two three")
        request.set("stream", true)
        request.set("stream_options", ["x_other": 1])
        var chunks: [JSONValue] = []
        let usage = try provider.stream(request, deadline: ProviderFixtures.deadline()) { chunk in
            chunks.append(chunk)
            return true
        }
        #expect(usage == TokenUsage(promptTokens: 3, completionTokens: 4))
        let text = chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
        #expect(text == "echo: one two three")
        #expect(chunks.first?["choices"]?.arrayValue?.first?["delta"]?["role"] == "assistant")
        #expect(chunks.last?["choices"]?.arrayValue?.isEmpty == true, "the usage chunk comes last")
        let options = ProviderFixtures.body(try #require(try fake.requests().first))["stream_options"] as? [String: Any]
        #expect(options?["include_usage"] as? Bool == true)
        #expect(options?["x_other"] as? Int == 1)
    }

    @Test func streamErrorsAreMapped() throws {
        let fake = try FakeLLM()
        let provider = try ProviderFixtures.openAI(fake)
        var request = ProviderFixtures.chatRequest("a b c d e f")
        request.set("stream", true)
        try fake.script([["status": 429, "headers": ["Retry-After": "2"]], ["drop_after": 2]])
        var error = #expect(throws: ProviderError.self) {
            try provider.stream(request, deadline: ProviderFixtures.deadline()) { _ in true }
        }
        guard case .status(let status, let retryAfter, _) = error else { throw TestFailure("429 expected") }
        #expect(status.code == 429 && retryAfter == .seconds(2))
        var seen = 0
        error = #expect(throws: ProviderError.self) {
            try provider.stream(request, deadline: ProviderFixtures.deadline()) { _ in
                seen += 1
                return true
            }
        }
        guard case .connection = error else {
            throw TestFailure("connection expected, got \(String(describing: error))")
        }
        #expect(seen == 3, "role chunk and two content chunks")
    }
}
