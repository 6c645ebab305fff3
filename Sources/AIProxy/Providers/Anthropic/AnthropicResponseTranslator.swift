import HTTP
import Kernel

/// An Anthropic Messages answer as OpenAI's `chat.completion`, and Anthropic's vocabulary (stop
/// reasons, usage, error types) in OpenAI's terms; the stream translator shares these.
enum AnthropicResponseTranslator {
    static func completion(
        _ message: JSONValue, forcesJSON: Bool, created: Int
    ) throws(ProviderError)
        -> ProviderCompletion
    {
        guard message["type"] == "message", let blocks = message["content"]?.arrayValue else {
            throw .malformed("the answer is not a message with content")
        }
        var text = ""
        var toolCalls: [JSONValue] = []
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text":
                text += block["text"]?.stringValue ?? ""
            case "tool_use":
                guard let id = block["id"]?.stringValue, let name = block["name"]?.stringValue else {
                    throw .malformed("a tool_use block has no id or name")
                }
                let input = block["input"] ?? [:]
                if forcesJSON, name == AnthropicRequestTranslator.jsonToolName {
                    text += String(decoding: input.bytes, as: UTF8.self)
                } else {
                    toolCalls.append(
                        toolCall(id: id, name: name, arguments: String(decoding: input.bytes, as: UTF8.self)))
                }
            default:
                break  // thinking and server-tool blocks have no Chat Completions counterpart
            }
        }
        let usage = try self.usage(message["usage"])
        var reply: JSONValue = [
            "role": "assistant", "content": text.isEmpty && !toolCalls.isEmpty ? .null : .string(text), "refusal": nil,
        ]
        if !toolCalls.isEmpty { reply.set("tool_calls", .array(toolCalls)) }
        let finish = finishReason(message["stop_reason"]?.stringValue, toolCalls: !toolCalls.isEmpty)
        let body: JSONValue = [
            "id": .string(message["id"]?.stringValue ?? "msg"), "object": "chat.completion", "created": .int(created),
            "model": .string(message["model"]?.stringValue ?? ""),
            "choices": [["index": 0, "message": reply, "logprobs": nil, "finish_reason": .string(finish)]],
            "usage": usageObject(usage),
        ]
        return ProviderCompletion(body: body, usage: usage)
    }

    static func toolCall(id: String, name: String, arguments: String) -> JSONValue {
        ["id": .string(id), "type": "function", "function": ["name": .string(name), "arguments": .string(arguments)]]
    }

    /// end_turn, stop_sequence, pause_turn → stop; max_tokens → length; tool_use → tool_calls (stop when
    /// the only tool used was the forced `json_output`); refusal → content_filter.
    static func finishReason(_ stopReason: String?, toolCalls: Bool) -> String {
        switch stopReason {
        case "max_tokens", "model_context_window_exceeded": "length"
        case "tool_use": toolCalls ? "tool_calls" : "stop"
        case "refusal": "content_filter"
        default: "stop"
        }
    }

    /// Anthropic counts cached prompt tokens apart from `input_tokens`; OpenAI's prompt includes them.
    static func usage(_ value: JSONValue?) throws(ProviderError) -> TokenUsage {
        guard let value, let input = value["input_tokens"]?.intValue, let output = value["output_tokens"]?.intValue
        else { throw .malformed("the answer has no usage") }
        return TokenUsage(promptTokens: input + cachedTokens(value), completionTokens: output)
    }

    static func cachedTokens(_ usage: JSONValue) -> Int {
        (usage["cache_creation_input_tokens"]?.intValue ?? 0) + (usage["cache_read_input_tokens"]?.intValue ?? 0)
    }

    static func usageObject(_ usage: TokenUsage) -> JSONValue {
        [
            "prompt_tokens": .int(usage.promptTokens), "completion_tokens": .int(usage.completionTokens),
            "total_tokens": .int(usage.totalTokens),
        ]
    }

    /// An `error` event in a stream (`{"type": "error", "error": {"type", "message"}}`), as the status
    /// Anthropic gives the same error type before a stream starts, so retries behave alike.
    static func streamError(_ event: JSONValue) -> ProviderError {
        let error = event["error"]
        let message = error?["message"]?.stringValue ?? "the upstream stream failed"
        let status: HTTPStatus =
            switch error?["type"]?.stringValue {
            case "invalid_request_error": .badRequest
            case "authentication_error": .unauthorized
            case "permission_error": .forbidden
            case "not_found_error": .notFound
            case "request_too_large": .contentTooLarge
            case "rate_limit_error": .tooManyRequests
            case "api_error": .internalServerError
            case "overloaded_error": HTTPStatus(529, "Overloaded")
            case "timeout_error": .gatewayTimeout
            default: .badGateway
            }
        return .status(status, retryAfter: nil, message: message)
    }
}
