import Foundation
import HTTP
import Kernel
import TestSupport
import Testing

@testable import AIProxy

/// The Anthropic translation both ways, checked on what the fake Messages API received and answered.
@Suite struct AnthropicProviderTests {
    private func provider(_ fake: FakeLLM, key: String? = "sk-ant") throws -> AnthropicProvider {
        try AnthropicProvider(
            settings: ProviderFixtures.settings("claude", fake, kind: .anthropic, key: key),
            client: ProviderFixtures.client)
    }

    private func json(_ any: Any?) throws -> JSONValue {
        try JSONValue(
            parsing: Array(JSONSerialization.data(withJSONObject: any ?? NSNull(), options: .fragmentsAllowed)))
    }

    /// Equal up to key order: the fake's record went through Python dictionaries.
    private func same(_ a: JSONValue?, _ b: JSONValue) -> Bool { a?.canonicalBytes == b.canonicalBytes }

    /// A conversation with every kind of message OpenAI clients send.
    static let conversation: JSONValue = [
        "model": "fake-small",
        "messages": [
            ["role": "system", "content": "You plan trips."],
            ["role": "developer", "content": [["type": "text", "text": "Be brief."]]],
            [
                "role": "user",
                "content": [
                    ["type": "text", "text": "Weather in Lyon and Nice?"],
                    ["type": "image_url", "image_url": ["url": "data:image/png;base64,iVBORw0KGgo="]],
                ],
            ],
            [
                "role": "assistant", "content": nil,
                "tool_calls": [
                    [
                        "id": "call_a", "type": "function",
                        "function": ["name": "weather", "arguments": "{\"city\":\"Lyon\"}"],
                    ],
                    [
                        "id": "call_b", "type": "function",
                        "function": ["name": "weather", "arguments": "{\"city\":\"Nice\"}"],
                    ],
                ],
            ],
            ["role": "tool", "tool_call_id": "call_a", "content": "sunny"],
            ["role": "tool", "tool_call_id": "call_b", "content": "rain"],
            ["role": "user", "content": "Thanks"],
        ],
        "tools": [
            [
                "type": "function",
                "function": [
                    "name": "weather", "description": "Current weather",
                    "parameters": ["type": "object", "properties": ["city": ["type": "string"]]],
                ],
            ]
        ],
        "tool_choice": "required", "parallel_tool_calls": false, "stop": "END", "temperature": 1.5,
        "user": "u-1", "frequency_penalty": 0.5,
    ]

    @Test func requestIsTranslated() throws {
        let fake = try FakeLLM(key: "sk-ant")
        _ = try provider(fake).complete(Self.conversation, deadline: ProviderFixtures.deadline())
        let record = try #require(try fake.requests().first)
        #expect(record["path"] as? String == "/v1/messages")
        let headers = ProviderFixtures.headers(record)
        #expect(headers["x-api-key"] == "sk-ant")
        #expect(headers["anthropic-version"] == "2023-06-01")
        #expect(headers["authorization"] == nil)

        let body = try json(record["body"])
        #expect(body["system"] == "You plan trips.\n\nBe brief.")
        #expect(body["max_tokens"] == 4096)
        #expect(body["temperature"]?.doubleValue == 1.0)
        #expect(body["stop_sequences"] == ["END"])
        #expect(body["metadata"] == ["user_id": "u-1"])
        #expect(body["frequency_penalty"] == nil)
        #expect(
            same(
                body["tools"],
                [
                    [
                        "name": "weather", "description": "Current weather",
                        "input_schema": ["type": "object", "properties": ["city": ["type": "string"]]],
                    ]
                ]))
        #expect(same(body["tool_choice"], ["type": "any", "disable_parallel_tool_use": true]))
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue ?? "" } == ["user", "assistant", "user"])
        #expect(
            same(
                messages[0]["content"],
                [
                    ["type": "text", "text": "Weather in Lyon and Nice?"],
                    [
                        "type": "image",
                        "source": ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="],
                    ],
                ]))
        #expect(
            same(
                messages[1]["content"],
                [
                    ["type": "tool_use", "id": "call_a", "name": "weather", "input": ["city": "Lyon"]],
                    ["type": "tool_use", "id": "call_b", "name": "weather", "input": ["city": "Nice"]],
                ]))
        // Both tool results and the next user text in one user turn, results first.
        #expect(
            same(
                messages[2]["content"],
                [
                    ["type": "tool_result", "tool_use_id": "call_a", "content": "sunny"],
                    ["type": "tool_result", "tool_use_id": "call_b", "content": "rain"],
                    ["type": "text", "text": "Thanks"],
                ]))
    }

    @Test func maxTokensAndToolChoices() throws {
        var request = ProviderFixtures.chatRequest()
        request.set("max_tokens", 100)
        request.set("max_completion_tokens", 50)
        request.set("tools", Self.conversation["tools"])
        func translated(_ choice: JSONValue) throws -> JSONValue {
            var r = request
            r.set("tool_choice", choice)
            return try AnthropicRequestTranslator.translate(r, stream: false).body
        }
        #expect(try translated("auto")["max_tokens"] == 50)
        #expect(try translated("auto")["tool_choice"] == ["type": "auto"])
        #expect(try translated("none")["tool_choice"] == ["type": "none"])
        #expect(
            try translated(["type": "function", "function": ["name": "weather"]])["tool_choice"]
                == ["type": "tool", "name": "weather"])
        request.set("max_completion_tokens", nil)
        #expect(try translated("auto")["max_tokens"] == 100)
    }

    @Test func untranslatableRequestsFailWithoutACall() throws {
        let fake = try FakeLLM()
        let provider = try provider(fake)
        var twoChoices = ProviderFixtures.chatRequest()
        twoChoices.set("n", 2)
        var audio = ProviderFixtures.chatRequest()
        audio.set("messages", [["role": "user", "content": [["type": "input_audio", "input_audio": ["data": "x"]]]]])
        var badArguments = ProviderFixtures.chatRequest()
        badArguments.set(
            "messages",
            [
                [
                    "role": "assistant",
                    "tool_calls": [["id": "c", "type": "function", "function": ["name": "f", "arguments": "[1"]]],
                ]
            ])
        for request in [twoChoices, audio, badArguments] {
            let error = #expect(throws: ProviderError.self) {
                try provider.complete(request, deadline: ProviderFixtures.deadline())
            }
            guard case .status(let status, _, _) = error else { throw TestFailure("a 400 expected") }
            #expect(status.code == 400 && error?.isRetryable == false)
        }
        #expect(try fake.requests().isEmpty)
    }

    @Test func textAnswerIsTranslated() throws {
        let fake = try FakeLLM()
        try fake.script([["reply": "Lyon is lovely", "usage": ["prompt": 11, "completion": 3]]])
        let answer = try provider(fake).complete(ProviderFixtures.chatRequest(), deadline: ProviderFixtures.deadline())
        #expect(answer.usage == TokenUsage(promptTokens: 11, completionTokens: 3))
        let body = answer.body
        #expect(body["object"] == "chat.completion")
        #expect(body["id"] == "msg_fake")
        #expect(body["model"] == "fake-small")
        #expect(body["usage"] == ["prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14])
        let choice = try #require(body["choices"]?.arrayValue?.first)
        #expect(choice["message"]?["role"] == "assistant")
        #expect(choice["message"]?["content"] == "Lyon is lovely")
        #expect(choice["finish_reason"] == "stop")
    }

    @Test func toolAnswerIsTranslated() throws {
        let fake = try FakeLLM()
        try fake.script([["tool": ["name": "weather", "arguments": ["city": "Lyon"]]]])
        let answer = try provider(fake).complete(Self.conversation, deadline: ProviderFixtures.deadline())
        let choice = try #require(answer.body["choices"]?.arrayValue?.first)
        #expect(choice["finish_reason"] == "tool_calls")
        #expect(choice["message"]?["content"] == .null)
        #expect(
            choice["message"]?["tool_calls"] == [
                [
                    "id": "toolu_1", "type": "function",
                    "function": ["name": "weather", "arguments": "{\"city\":\"Lyon\"}"],
                ]
            ])
    }

    @Test func jsonResponseFormatBecomesAForcedTool() throws {
        let fake = try FakeLLM()
        try fake.script([["tool": ["name": "json_output", "arguments": ["days": 3]]]])
        var request = ProviderFixtures.chatRequest()
        let schema: JSONValue = ["type": "object", "properties": ["days": ["type": "integer"]]]
        request.set("response_format", ["type": "json_schema", "json_schema": ["name": "plan", "schema": schema]])
        let answer = try provider(fake).complete(request, deadline: ProviderFixtures.deadline())
        let choice = try #require(answer.body["choices"]?.arrayValue?.first)
        #expect(choice["message"]?["content"] == "{\"days\":3}")
        #expect(choice["message"]?["tool_calls"] == nil)
        #expect(choice["finish_reason"] == "stop")
        let body = try json(try #require(try fake.requests().first)["body"])
        #expect(same(body["tool_choice"], ["type": "tool", "name": "json_output"]))
        #expect(same(body["tools"]?.arrayValue?.first?["input_schema"], schema))
    }

    @Test func errorsAreMapped() throws {
        let fake = try FakeLLM()
        let provider = try provider(fake)
        try fake.script([
            [
                "status": 429, "headers": ["retry-after": "4"],
                "body": ["type": "error", "error": ["type": "rate_limit_error", "message": "slow down"]],
            ],
            [
                "status": 529,
                "body": ["type": "error", "error": ["type": "overloaded_error", "message": "Overloaded"]],
            ],
            [
                "status": 400,
                "body": [
                    "type": "error", "error": ["type": "invalid_request_error", "message": "max_tokens: too big"],
                ],
            ],
        ])
        var errors: [ProviderError] = []
        for _ in 0..<3 {
            do {
                _ = try provider.complete(ProviderFixtures.chatRequest(), deadline: ProviderFixtures.deadline())
            } catch {
                errors.append(error)
            }
        }
        guard errors.count == 3, case .status(let s0, let r0, let m0) = errors[0],
            case .status(let s1, _, let m1) = errors[1], case .status(let s2, _, let m2) = errors[2]
        else { throw TestFailure("three status errors expected: \(errors)") }
        #expect(s0.code == 429 && r0 == .seconds(4) && m0 == "slow down" && errors[0].isRetryable)
        #expect(s1.code == 529 && m1 == "Overloaded" && errors[1].isRetryable)
        #expect(s2.code == 400 && m2 == "max_tokens: too big" && !errors[2].isRetryable)
    }

    @Test func wrongKeyIsRejected() throws {
        let fake = try FakeLLM(key: "sk-right")
        let error = #expect(throws: ProviderError.self) {
            try provider(fake, key: "sk-wrong").complete(
                ProviderFixtures.chatRequest(), deadline: ProviderFixtures.deadline())
        }
        guard case .status(let status, _, let message) = error else { throw TestFailure("401 expected") }
        #expect(status.code == 401 && message == "invalid api key")
    }
}
