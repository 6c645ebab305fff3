import Foundation
import HTTP
import HTTPClient
import Kernel

/// Anthropic's Messages API behind OpenAI's Chat Completions shape: requests are translated by
/// `AnthropicRequestTranslator`, answers by `AnthropicResponseTranslator`, streams event by event by
/// `AnthropicStreamTranslator`. A request that cannot be translated fails as a 400 of its own, without
/// a call.
struct AnthropicProvider: ChatProvider {
    /// The API version these translations are written against.
    static let apiVersion = "2023-06-01"

    let settings: AISettings.Provider
    private let call: UpstreamCall

    init(settings: AISettings.Provider, client: HTTPClient) throws(HTTPClientError) {
        self.settings = settings
        var headers = HTTPFields()
        if let key = settings.apiKey { headers.set(HTTPFieldName("x-api-key"), key) }
        headers.set(HTTPFieldName("anthropic-version"), Self.apiVersion)
        call = UpstreamCall(
            client: client, url: try URLParts(parsing: settings.baseURL + "/messages"), headers: headers)
    }

    func complete(_ request: JSONValue, deadline: ContinuousClock.Instant) throws(ProviderError) -> ProviderCompletion {
        let translated = try AnthropicRequestTranslator.translate(request, stream: false)
        let answer = try call.send(translated.body, deadline: deadline)
        return try AnthropicResponseTranslator.completion(
            answer, forcesJSON: translated.forcesJSON, created: Int(Date().timeIntervalSince1970))
    }

    func stream(
        _ request: JSONValue, deadline: ContinuousClock.Instant, onChunk: (JSONValue) throws -> Bool
    ) throws(ProviderError) -> TokenUsage? {
        let translated = try AnthropicRequestTranslator.translate(request, stream: true)
        var translator = AnthropicStreamTranslator(
            forcesJSON: translated.forcesJSON, created: Int(Date().timeIntervalSince1970))
        var cancelled = false
        try call.stream(translated.body, deadline: deadline) { event throws(ProviderError) in
            for chunk in try translator.translate(event) {
                let keepGoing: Bool
                do { keepGoing = try onChunk(chunk) } catch { keepGoing = false }
                if !keepGoing {
                    cancelled = true
                    return false
                }
            }
            return true
        }
        if cancelled { throw .cancelled }
        guard translator.finished else { throw .connection("the stream ended before message_stop") }
        return translator.reportedUsage
    }
}
