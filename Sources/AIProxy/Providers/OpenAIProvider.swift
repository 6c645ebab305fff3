import HTTP
import HTTPClient
import Kernel

/// Any OpenAI-compatible Chat Completions endpoint (OpenAI, vLLM, Ollama, llama.cpp…): the request
/// object goes through as the caller wrote it, so fields this gateway has never heard of still reach
/// the model. Only `stream` and `stream_options` are adjusted, for the reason given on each call.
struct OpenAIProvider: ChatProvider {
    let settings: AISettings.Provider
    private let call: UpstreamCall

    /// Throws when `settings.baseURL` + `/chat/completions` is not a URL the client accepts.
    init(settings: AISettings.Provider, client: HTTPClient) throws(HTTPClientError) {
        self.settings = settings
        var headers = HTTPFields()
        if let key = settings.apiKey { headers.set(.authorization, "Bearer " + key) }
        call = UpstreamCall(
            client: client, url: try URLParts(parsing: settings.baseURL + "/chat/completions"), headers: headers)
    }

    func complete(_ request: JSONValue, deadline: ContinuousClock.Instant) throws(ProviderError) -> ProviderCompletion {
        var body = request
        // OpenAI refuses `stream_options` without `stream: true`.
        body.set("stream_options", nil)
        if body["stream"] != nil { body.set("stream", false) }
        let answer = try call.send(body, deadline: deadline)
        guard answer["choices"]?.arrayValue != nil else { throw .malformed("the answer has no choices") }
        return ProviderCompletion(body: answer, usage: Self.usage(answer["usage"]) ?? TokenUsage())
    }

    /// Always asks for `stream_options.include_usage` (keeping any other stream options), so the usage
    /// of every stream is known, and passes every chunk on, the usage chunk included: the chain drops
    /// that chunk (and the `usage: null` members) when the caller did not ask for it.
    func stream(
        _ request: JSONValue, deadline: ContinuousClock.Instant, onChunk: (JSONValue) throws -> Bool
    ) throws(ProviderError) -> TokenUsage? {
        var body = request
        body.set("stream", true)
        var options = body["stream_options"].flatMap { $0.objectValue == nil ? nil : $0 } ?? .object([])
        options.set("include_usage", true)
        body.set("stream_options", options)

        var usage: TokenUsage?
        var finished = false
        var sawFinishReason = false
        var cancelled = false
        try call.stream(body, deadline: deadline) { event throws(ProviderError) in
            if event.isDone {
                finished = true
                return false
            }
            let chunk: JSONValue
            do { chunk = try JSONValue(parsing: event.data) } catch {
                throw .malformed("a chunk is not JSON (\(error))")
            }
            if let error = chunk["error"], error != .null {
                // OpenAI reports a failure after the 200 as an event of its own.
                let message = error["message"]?.stringValue ?? error.stringValue ?? "the upstream stream failed"
                throw .status(.badGateway, retryAfter: nil, message: message)
            }
            guard chunk.objectValue != nil else { throw .malformed("a chunk is not an object") }
            if let reported = Self.usage(chunk["usage"]) { usage = reported }
            if let choices = chunk["choices"]?.arrayValue,
                choices.contains(where: { ($0["finish_reason"] ?? .null) != .null })
            {
                sawFinishReason = true
            }
            let keepGoing: Bool
            do { keepGoing = try onChunk(chunk) } catch { keepGoing = false }
            if !keepGoing { cancelled = true }
            return keepGoing
        }
        if cancelled { throw .cancelled }
        // Some compatible servers close without `[DONE]`; a stream that finished its choice is whole.
        guard finished || sawFinishReason else { throw .connection("the stream ended before [DONE]") }
        return usage
    }

    /// OpenAI's `usage` object, when there is one.
    static func usage(_ value: JSONValue?) -> TokenUsage? {
        guard let value, let prompt = value["prompt_tokens"]?.intValue,
            let completion = value["completion_tokens"]?.intValue
        else { return nil }
        return TokenUsage(promptTokens: max(0, prompt), completionTokens: max(0, completion))
    }
}
