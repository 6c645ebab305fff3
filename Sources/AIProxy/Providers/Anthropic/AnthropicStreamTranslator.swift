import Kernel

/// Anthropic's streaming events as the `chat.completion.chunk` objects OpenAI would have sent for the
/// same answer: a first chunk with `role: assistant`, content deltas, tool calls announced with index,
/// id and name and then fed argument fragments, a chunk with the finish reason, and a last chunk with
/// empty `choices` and the usage (the chain drops it unless the caller asked for usage).
struct AnthropicStreamTranslator {
    private enum Block {
        case text
        /// A tool call, by its index among the answer's tool calls.
        case tool(Int)
        /// The forced `json_output` call: its input is the answer's content.
        case json
        case ignored
    }

    let forcesJSON: Bool
    let created: Int
    private var id = "msg"
    private var model = ""
    private var usage = TokenUsage()
    private var blocks: [Int: Block] = [:]
    private var toolCalls = 0
    /// `message_stop` arrived: the answer is complete.
    private(set) var finished = false
    var reportedUsage: TokenUsage { usage }

    init(forcesJSON: Bool, created: Int) {
        self.forcesJSON = forcesJSON
        self.created = created
    }

    /// The chunks one event becomes (often none).
    mutating func translate(_ event: ServerSentEvent) throws(ProviderError) -> [JSONValue] {
        let object: JSONValue
        do { object = try JSONValue(parsing: event.data) } catch { throw .malformed("an event is not JSON (\(error))") }
        let type = object["type"]?.stringValue ?? event.event ?? ""
        switch type {
        case "message_start":
            let message = object["message"]
            id = message?["id"]?.stringValue ?? id
            model = message?["model"]?.stringValue ?? model
            if let start = message?["usage"] {
                usage.promptTokens =
                    (start["input_tokens"]?.intValue ?? 0) + AnthropicResponseTranslator.cachedTokens(start)
                usage.completionTokens = start["output_tokens"]?.intValue ?? 0
            }
            return [chunk(["role": "assistant", "content": ""])]
        case "content_block_start":
            return try blockStart(object)
        case "content_block_delta":
            return try blockDelta(object)
        case "message_delta":
            if let final = object["usage"] {
                if let output = final["output_tokens"]?.intValue { usage.completionTokens = output }
                if let input = final["input_tokens"]?.intValue {
                    usage.promptTokens = input + AnthropicResponseTranslator.cachedTokens(final)
                }
            }
            guard let stop = object["delta"]?["stop_reason"]?.stringValue else { return [] }
            let reason = AnthropicResponseTranslator.finishReason(stop, toolCalls: toolCalls > 0)
            return [chunk([:], finishReason: reason)]
        case "message_stop":
            finished = true
            return [
                [
                    "id": .string(id), "object": "chat.completion.chunk", "created": .int(created),
                    "model": .string(model), "choices": [], "usage": AnthropicResponseTranslator.usageObject(usage),
                ]
            ]
        case "error":
            throw AnthropicResponseTranslator.streamError(object)
        default:
            return []  // ping, content_block_stop, and event types added after this was written
        }
    }

    private mutating func blockStart(_ object: JSONValue) throws(ProviderError) -> [JSONValue] {
        guard let index = object["index"]?.intValue, let block = object["content_block"] else {
            throw .malformed("content_block_start without index or block")
        }
        switch block["type"]?.stringValue {
        case "text":
            blocks[index] = .text
            let text = block["text"]?.stringValue ?? ""
            return text.isEmpty ? [] : [chunk(["content": .string(text)])]
        case "tool_use":
            guard let callID = block["id"]?.stringValue, let name = block["name"]?.stringValue else {
                throw .malformed("a tool_use block has no id or name")
            }
            if forcesJSON, name == AnthropicRequestTranslator.jsonToolName {
                blocks[index] = .json
                return []
            }
            let call = toolCalls
            toolCalls += 1
            blocks[index] = .tool(call)
            return [
                chunk([
                    "tool_calls": [
                        [
                            "index": .int(call), "id": .string(callID), "type": "function",
                            "function": ["name": .string(name), "arguments": ""],
                        ]
                    ]
                ])
            ]
        default:
            blocks[index] = .ignored
            return []
        }
    }

    private func blockDelta(_ object: JSONValue) throws(ProviderError) -> [JSONValue] {
        guard let index = object["index"]?.intValue, let delta = object["delta"] else {
            throw .malformed("content_block_delta without index or delta")
        }
        switch (blocks[index], delta["type"]?.stringValue) {
        case (.text?, "text_delta"):
            guard let text = delta["text"]?.stringValue, !text.isEmpty else { return [] }
            return [chunk(["content": .string(text)])]
        case (.tool(let call)?, "input_json_delta"):
            guard let part = delta["partial_json"]?.stringValue, !part.isEmpty else { return [] }
            return [chunk(["tool_calls": [["index": .int(call), "function": ["arguments": .string(part)]]]])]
        case (.json?, "input_json_delta"):
            guard let part = delta["partial_json"]?.stringValue, !part.isEmpty else { return [] }
            return [chunk(["content": .string(part)])]
        default:
            return []  // thinking and signature deltas have no Chat Completions counterpart
        }
    }

    private func chunk(_ delta: JSONValue, finishReason: String? = nil) -> JSONValue {
        [
            "id": .string(id), "object": "chat.completion.chunk", "created": .int(created), "model": .string(model),
            "choices": [
                [
                    "index": 0, "delta": delta, "logprobs": nil,
                    "finish_reason": finishReason.map { .string($0) } ?? .null,
                ]
            ],
        ]
    }
}
