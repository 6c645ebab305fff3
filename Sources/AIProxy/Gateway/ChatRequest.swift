import Kernel

/// A Chat Completions request as the gateway reads it: the JSON object exactly as sent (unknown fields
/// pass through to the provider), and the few fields the gateway acts on, validated the way OpenAI
/// validates them cheaply so a bad request is refused before it costs an upstream call.
struct ChatRequest: Sendable {
    var body: JSONValue
    /// nil: the chain's default model.
    var model: String?
    var stream: Bool
    /// `stream_options.include_usage`: whether the caller wants the final usage chunk.
    var includeUsage: Bool
    /// nil when absent (OpenAI's default is 1).
    var temperature: Double?

    /// Roles OpenAI accepts in `messages`.
    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool", "function"]

    /// Parses and validates a request body; `.invalidRequest` names the first bad field (`param`).
    static func parse(_ bytes: [UInt8]) throws(GatewayError) -> ChatRequest {
        guard !bytes.isEmpty else { throw .invalidRequest(field: nil, message: "A JSON request body is required.") }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw .invalidRequest(field: nil, message: "The request body is not valid JSON (\(error.description)).")
        }
        return try validate(json)
    }

    static func validate(_ json: JSONValue) throws(GatewayError) -> ChatRequest {
        guard case .object = json else { throw .invalidRequest(field: nil, message: "The body must be a JSON object.") }
        var model: String?
        if let value = json["model"], value != .null {
            guard let name = value.stringValue, !name.isEmpty else {
                throw .invalidRequest(field: "model", message: "model must be a non-empty string.")
            }
            model = name
        }
        try validateMessages(json["messages"])
        let stream = try bool(json, "stream") ?? false
        var includeUsage = false
        if let options = json["stream_options"], options != .null {
            guard stream else {
                throw .invalidRequest(
                    field: "stream_options", message: "stream_options is only allowed when stream is true.")
            }
            guard case .object = options else {
                throw .invalidRequest(field: "stream_options", message: "stream_options must be an object.")
            }
            includeUsage = try bool(options, "include_usage", path: "stream_options.include_usage") ?? false
        }
        if let n = json["n"], n != .null {
            guard let count = n.intValue, count >= 1 else {
                throw .invalidRequest(field: "n", message: "n must be a positive integer.")
            }
            guard count == 1 else { throw .invalidRequest(field: "n", message: "Only n = 1 is supported.") }
        }
        let temperature = try number(json, "temperature", in: 0...2)
        _ = try number(json, "top_p", in: 0...1)
        _ = try number(json, "presence_penalty", in: -2...2)
        _ = try number(json, "frequency_penalty", in: -2...2)
        for field in ["max_tokens", "max_completion_tokens"] {
            if let value = json[field], value != .null {
                guard let v = value.intValue, v >= 1 else {
                    throw .invalidRequest(field: field, message: "\(field) must be a positive integer.")
                }
            }
        }
        return ChatRequest(
            body: json, model: model, stream: stream, includeUsage: includeUsage, temperature: temperature)
    }

    private static func validateMessages(_ value: JSONValue?) throws(GatewayError) {
        guard let value, value != .null else {
            throw .invalidRequest(field: "messages", message: "messages is required.")
        }
        guard case .array(let messages) = value, !messages.isEmpty else {
            throw .invalidRequest(field: "messages", message: "messages must be a non-empty array.")
        }
        for (index, message) in messages.enumerated() {
            let path = "messages[\(index)]"
            guard case .object = message else {
                throw .invalidRequest(field: path, message: "\(path) must be an object.")
            }
            guard let role = message["role"]?.stringValue, roles.contains(role) else {
                throw .invalidRequest(
                    field: path + ".role",
                    message: "\(path).role must be one of \(roles.sorted().joined(separator: ", ")).")
            }
            switch message["content"] {
            case .string?, .array?:
                break
            case .null?, nil:
                // An assistant turn that only calls tools has no content.
                guard role == "assistant" else {
                    throw .invalidRequest(field: path + ".content", message: "\(path).content is required.")
                }
            default:
                throw .invalidRequest(
                    field: path + ".content", message: "\(path).content must be a string or an array of parts.")
            }
        }
    }

    private static func bool(_ json: JSONValue, _ key: String, path: String? = nil) throws(GatewayError) -> Bool? {
        guard let value = json[key], value != .null else { return nil }
        guard case .bool(let b) = value else {
            throw .invalidRequest(field: path ?? key, message: "\(path ?? key) must be a boolean.")
        }
        return b
    }

    private static func number(
        _ json: JSONValue, _ key: String, in range: ClosedRange<Double>
    ) throws(GatewayError) -> Double? {
        guard let value = json[key], value != .null else { return nil }
        guard let d = value.doubleValue, range.contains(d) else {
            throw .invalidRequest(
                field: key, message: "\(key) must be a number from \(range.lowerBound) to \(range.upperBound).")
        }
        return d
    }

    /// Non-streaming calls at temperature 0 are deterministic enough to answer from the cache.
    var isCacheable: Bool { !stream && temperature == 0 }
}
