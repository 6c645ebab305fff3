import HTTP
import Kernel

/// An OpenAI Chat Completions request as an Anthropic Messages request.
///
/// What maps: system/developer messages → `system`; user text and image parts; assistant text and
/// `tool_calls` → `tool_use` blocks; `tool` messages → `tool_result` blocks in a user turn (consecutive
/// turns of one role are merged, as Anthropic wants them alternating); `tools`; `tool_choice` and
/// `parallel_tool_calls`; `max_completion_tokens`/`max_tokens` (Anthropic requires one: 4096 by
/// default); `temperature` (capped at 1, Anthropic's maximum, where OpenAI allows 2); `top_p`; `stop`;
/// `user` → `metadata.user_id`; `response_format` json_object/json_schema → a forced `json_output` tool
/// call whose input becomes the answer's content.
///
/// What cannot map is refused with a 400 when dropping it would change the answer's shape (`n` > 1,
/// audio or file parts, legacy `function` messages), and dropped silently when it only tunes sampling
/// or reporting (`frequency_penalty`, `presence_penalty`, `logit_bias`, `logprobs`, `seed`, `store`,
/// `service_tier`, `reasoning_effort`…).
enum AnthropicRequestTranslator {
    /// The tool a JSON `response_format` is turned into.
    static let jsonToolName = "json_output"
    /// Anthropic requires `max_tokens`; OpenAI lets the model decide.
    static let defaultMaxTokens = 4096

    struct Translated {
        var body: JSONValue
        /// The answer is the input of a forced `json_output` call, to be turned back into content.
        var forcesJSON: Bool
    }

    static func translate(_ request: JSONValue, stream: Bool) throws(ProviderError) -> Translated {
        guard let model = request["model"]?.stringValue else { throw invalid("model is required") }
        guard let messages = request["messages"]?.arrayValue, !messages.isEmpty else {
            throw invalid("messages must be a non-empty array")
        }
        if let n = request["n"]?.intValue, n > 1 { throw invalid("n > 1 is not supported by Anthropic models") }

        var system: [String] = []
        var turns: [(role: String, blocks: [JSONValue])] = []
        func append(_ role: String, _ blocks: [JSONValue]) {
            guard !blocks.isEmpty else { return }
            if let last = turns.last, last.role == role {
                turns[turns.count - 1].blocks += blocks
            } else {
                turns.append((role, blocks))
            }
        }
        for (i, message) in messages.enumerated() {
            let field = "messages[\(i)]"
            switch message["role"]?.stringValue {
            case "system", "developer":
                let text = try plainText(message["content"], field: field + ".content")
                if !text.isEmpty { system.append(text) }
            case "user": append("user", try userBlocks(message["content"], field: field + ".content"))
            case "assistant": append("assistant", try assistantBlocks(message, field: field))
            case "tool": append("user", [try toolResult(message, field: field)])
            default:
                throw invalid("\(field).role \(message["role"]?.stringValue ?? "null") cannot be sent to Anthropic")
            }
        }

        var body: JSONValue = ["model": .string(model)]
        if !system.isEmpty { body.set("system", .string(system.joined(separator: "\n\n"))) }
        body.set("messages", .array(turns.map { ["role": .string($0.role), "content": .array($0.blocks)] }))
        let maxTokens = request["max_completion_tokens"]?.intValue ?? request["max_tokens"]?.intValue
        body.set("max_tokens", .int(maxTokens ?? defaultMaxTokens))
        if let temperature = request["temperature"]?.doubleValue {
            body.set("temperature", .double(min(temperature, 1)))
        }
        if let topP = request["top_p"], topP != .null { body.set("top_p", topP) }
        if let topK = request["top_k"], topK != .null { body.set("top_k", topK) }  // Anthropic's own knob
        switch request["stop"] {
        case .string(let stop)?: body.set("stop_sequences", [.string(stop)])
        case .array(let stops)? where !stops.isEmpty: body.set("stop_sequences", .array(stops))
        default: break
        }
        if let user = request["user"]?.stringValue { body.set("metadata", ["user_id": .string(user)]) }

        var tools = try translateTools(request["tools"])
        var choice = try translateToolChoice(request["tool_choice"])
        let schema = try jsonSchema(request["response_format"])
        if let schema {
            // A JSON answer is the input of a tool call Anthropic is made to use; with tools of the
            // caller's own the model must still use one of them or json_output.
            choice = tools.isEmpty ? ["type": "tool", "name": .string(jsonToolName)] : ["type": "any"]
            tools.append([
                "name": .string(jsonToolName), "description": "Give the final answer as this tool's input.",
                "input_schema": schema,
            ])
        }
        if !tools.isEmpty {
            body.set("tools", .array(tools))
            if request["parallel_tool_calls"] == .bool(false), choice?["type"] != "none" {
                var c = choice ?? ["type": "auto"]
                c.set("disable_parallel_tool_use", true)
                choice = c
            }
            if let choice { body.set("tool_choice", choice) }
        }
        if stream { body.set("stream", true) }
        return Translated(body: body, forcesJSON: schema != nil)
    }

    static func invalid(_ message: String) -> ProviderError {
        .status(.badRequest, retryAfter: nil, message: message)
    }

    // MARK: - Messages

    /// Text content: a string, or text parts joined with newlines.
    private static func plainText(_ content: JSONValue?, field: String) throws(ProviderError) -> String {
        switch content {
        case nil, .null?: return ""
        case .string(let s)?: return s
        case .array(let parts)?:
            var texts: [String] = []
            for (i, part) in parts.enumerated() {
                guard part["type"] == "text" || part["type"] == "refusal",
                    let text = part["text"]?.stringValue ?? part["refusal"]?.stringValue
                else { throw invalid("\(field)[\(i)] must be a text part") }
                texts.append(text)
            }
            return texts.joined(separator: "\n")
        default: throw invalid("\(field) must be a string or an array of parts")
        }
    }

    private static func textBlock(_ text: String) -> JSONValue { ["type": "text", "text": .string(text)] }

    private static func userBlocks(_ content: JSONValue?, field: String) throws(ProviderError) -> [JSONValue] {
        guard case .array(let parts)? = content else {
            let text = try plainText(content, field: field)
            return text.isEmpty ? [] : [textBlock(text)]
        }
        var blocks: [JSONValue] = []
        for (i, part) in parts.enumerated() {
            switch part["type"]?.stringValue {
            case "text":
                guard let text = part["text"]?.stringValue else { throw invalid("\(field)[\(i)].text is required") }
                if !text.isEmpty { blocks.append(textBlock(text)) }
            case "image_url":
                let url = part["image_url"]?["url"]?.stringValue ?? part["image_url"]?.stringValue
                guard let url, let source = imageSource(url) else {
                    throw invalid("\(field)[\(i)].image_url.url must be an http(s) URL or a base64 data URL")
                }
                blocks.append(["type": "image", "source": source])
            default:
                throw invalid(
                    "\(field)[\(i)] of type \(part["type"]?.stringValue ?? "null") cannot be sent to Anthropic")
            }
        }
        return blocks
    }

    /// `data:image/png;base64,…` → a base64 source; an http(s) URL → a url source.
    private static func imageSource(_ url: String) -> JSONValue? {
        if url.hasPrefix("https://") || url.hasPrefix("http://") { return ["type": "url", "url": .string(url)] }
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else { return nil }
        let meta = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        guard meta.hasSuffix(";base64") else { return nil }
        let mediaType = meta.dropLast(";base64".count)
        guard !mediaType.isEmpty else { return nil }
        return [
            "type": "base64", "media_type": .string(String(mediaType)),
            "data": .string(String(url[url.index(after: comma)...])),
        ]
    }

    private static func assistantBlocks(_ message: JSONValue, field: String) throws(ProviderError) -> [JSONValue] {
        var blocks: [JSONValue] = []
        let text = try plainText(message["content"], field: field + ".content")
        if !text.isEmpty { blocks.append(textBlock(text)) }
        for (i, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            let path = "\(field).tool_calls[\(i)]"
            guard let id = call["id"]?.stringValue, let name = call["function"]?["name"]?.stringValue else {
                throw invalid("\(path) needs an id and function.name")
            }
            let arguments = call["function"]?["arguments"]?.stringValue ?? ""
            var input: JSONValue = [:]
            if !arguments.isEmpty {
                guard let parsed = try? JSONValue(parsing: arguments), parsed.objectValue != nil else {
                    throw invalid("\(path).function.arguments must be a JSON object")
                }
                input = parsed
            }
            blocks.append(["type": "tool_use", "id": .string(id), "name": .string(name), "input": input])
        }
        return blocks
    }

    private static func toolResult(_ message: JSONValue, field: String) throws(ProviderError) -> JSONValue {
        guard let id = message["tool_call_id"]?.stringValue else { throw invalid("\(field).tool_call_id is required") }
        let text = try plainText(message["content"], field: field + ".content")
        return ["type": "tool_result", "tool_use_id": .string(id), "content": .string(text)]
    }

    // MARK: - Tools

    private static func translateTools(_ tools: JSONValue?) throws(ProviderError) -> [JSONValue] {
        guard let tools, tools != .null else { return [] }
        guard let list = tools.arrayValue else { throw invalid("tools must be an array") }
        var out: [JSONValue] = []
        for (i, tool) in list.enumerated() {
            guard tool["type"] == "function", let function = tool["function"],
                let name = function["name"]?.stringValue
            else { throw invalid("tools[\(i)] must be a function tool with a name") }
            var translated: JSONValue = ["name": .string(name)]
            if let description = function["description"]?.stringValue {
                translated.set("description", .string(description))
            }
            let parameters = function["parameters"].flatMap { $0.objectValue == nil ? nil : $0 }
            translated.set("input_schema", parameters ?? ["type": "object", "properties": [:]])
            out.append(translated)
        }
        return out
    }

    /// auto → auto, none → none, required → any, a named function → that tool. Anthropic has no
    /// equivalent of OpenAI's `allowed_tools` choice; it is refused.
    private static func translateToolChoice(_ choice: JSONValue?) throws(ProviderError) -> JSONValue? {
        switch choice {
        case nil, .null?: return nil
        case "auto"?: return ["type": "auto"]
        case "none"?: return ["type": "none"]
        case "required"?: return ["type": "any"]
        case let value?:
            guard value["type"] == "function", let name = value["function"]?["name"]?.stringValue else {
                throw invalid("tool_choice must be auto, none, required or a function")
            }
            return ["type": "tool", "name": .string(name)]
        }
    }

    /// The schema a JSON `response_format` asks for, or nil for text.
    private static func jsonSchema(_ format: JSONValue?) throws(ProviderError) -> JSONValue? {
        switch format?["type"]?.stringValue {
        case nil, "text": return nil
        case "json_object": return ["type": "object"]
        case "json_schema":
            guard let schema = format?["json_schema"]?["schema"], schema.objectValue != nil else {
                throw invalid("response_format.json_schema.schema must be an object")
            }
            return schema
        case let other?: throw invalid("response_format type \(other) is not supported")
        }
    }
}
