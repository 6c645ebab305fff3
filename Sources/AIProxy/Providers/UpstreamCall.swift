import HTTP
import HTTPClient
import Kernel

/// The HTTP half every provider shares: one JSON POST to one endpoint, either read whole or read as
/// an event stream, with the upstream's failures turned into `ProviderError`s the chain can act on.
struct UpstreamCall: Sendable {
    /// An error body is read up to this size for its message; the rest is not worth waiting for.
    static let maximumErrorBodyBytes = 64 * 1024

    let client: HTTPClient
    let url: URLParts
    /// Authentication and version fields; `Content-Type` and `Accept` are added per call.
    let headers: HTTPFields

    /// POSTs `body` and returns the JSON of a 2xx answer.
    func send(_ body: JSONValue, deadline: ContinuousClock.Instant) throws(ProviderError) -> JSONValue {
        guard ContinuousClock.now < deadline else { throw .timeout }
        let response: HTTPClientResponse
        do {
            response = try client.execute(request(body, accept: "application/json"), deadline: deadline)
        } catch {
            throw Self.map(error)
        }
        guard (200..<300).contains(response.status.code) else {
            throw Self.statusError(response.status, response.headers, response.body)
        }
        do {
            return try JSONValue(parsing: response.body)
        } catch {
            throw .malformed("the answer is not JSON (\(error))")
        }
    }

    /// POSTs `body` and hands each event of the 2xx event stream to `onEvent`, which returns false (or
    /// throws) to stop reading; the connection is then closed, which is how the upstream learns that
    /// nobody is listening any more. Returns when the stream ended or was stopped; whether it ended
    /// properly is the caller's to judge from the events it saw.
    func stream(
        _ body: JSONValue, deadline: ContinuousClock.Instant,
        onEvent: (ServerSentEvent) throws(ProviderError) -> Bool
    ) throws(ProviderError) {
        let timeout = deadline - ContinuousClock.now
        guard timeout > .zero else { throw .timeout }
        var parser = ServerSentEventParser()
        var failure: ProviderError?
        var rejected: HTTPClientResponseHead?
        var errorBody: [UInt8] = []
        do {
            try client.execute(
                request(body, accept: "text/event-stream"), timeout: timeout,
                onResponseHead: { head in
                    let type = head.headers[.contentType]?.lowercased() ?? ""
                    if !(200..<300).contains(head.status.code) || !type.hasPrefix("text/event-stream") {
                        rejected = head  // read the body for its message
                    }
                    return true
                },
                onBodyChunk: { piece in
                    if rejected != nil {
                        errorBody += piece.prefix(Self.maximumErrorBodyBytes - errorBody.count)
                        return errorBody.count < Self.maximumErrorBodyBytes
                    }
                    do throws(ProviderError) {
                        let events: [ServerSentEvent]
                        do { events = try parser.feed(piece) } catch { throw .malformed("an event is too large") }
                        for event in events {
                            guard try onEvent(event) else { return false }
                        }
                        return true
                    } catch {
                        failure = error
                        return false
                    }
                })
        } catch let error as HTTPClientError {
            throw failure ?? Self.map(error)
        } catch {
            throw failure ?? .connection("\(error)")
        }
        if let failure { throw failure }
        if let rejected {
            guard (200..<300).contains(rejected.status.code) else {
                throw Self.statusError(rejected.status, rejected.headers, errorBody)
            }
            throw .malformed("asked for an event stream, got \(rejected.headers[.contentType] ?? "no Content-Type")")
        }
        parser.finish()
    }

    private func request(_ body: JSONValue, accept: String) -> HTTPClientRequest {
        var fields = headers
        fields.set(.contentType, "application/json")
        fields.set(.accept, accept)
        return HTTPClientRequest(method: .post, url: url, headers: fields, body: body.bytes)
    }

    /// The client's failures in the chain's terms: a deadline is a timeout, a broken HTTP answer is
    /// malformed, anything else (refused, reset, TLS) is a connection failure.
    static func map(_ error: HTTPClientError) -> ProviderError {
        switch error {
        case .timeout: .timeout
        case .malformedResponse, .responseTooLarge: .malformed(error.description)
        default: .connection(error.description)
        }
    }

    /// An error answer: its status, how long it asks us to wait, and the message from its body.
    static func statusError(_ status: HTTPStatus, _ headers: HTTPFields, _ body: [UInt8]) -> ProviderError {
        var retryAfter = headers[.retryAfter].flatMap { RetryAfter.parse($0) }
        // OpenAI also sends the delay in milliseconds; it is the more precise of the two.
        if let ms = headers[HTTPFieldName("retry-after-ms")], !ms.isEmpty, ms.count <= 9,
            ms.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(ms)
        {
            retryAfter = .milliseconds(value)
        }
        return .status(status, retryAfter: retryAfter, message: errorMessage(body) ?? status.reasonPhrase)
    }

    /// The message of an error body: OpenAI's and Anthropic's `{"error": {"message": …}}`, a bare
    /// `{"error": "…"}` or `{"message": "…"}` (vLLM, Ollama), else the start of the text.
    static func errorMessage(_ body: [UInt8]) -> String? {
        if let json = try? JSONValue(parsing: body) {
            if let message = json["error"]?["message"]?.stringValue ?? json["error"]?.stringValue
                ?? json["message"]?.stringValue ?? json["detail"]?.stringValue
            {
                return clean(message)
            }
        }
        let text = clean(String(decoding: body.prefix(300), as: UTF8.self))
        return text.isEmpty ? nil : text
    }

    /// Control characters out (the message ends up in logs and in our own error bodies), length capped.
    private static func clean(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.prefix(500).map { $0.properties.generalCategory == .control ? " " : $0 }))
    }
}
