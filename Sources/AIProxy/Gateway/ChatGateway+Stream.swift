import Foundation
import HTTP
import Kernel

/// Streaming (`stream: true`). The upstream call starts on `upstreamQueue` while the handler waits for
/// its first event: a failure before any chunk (every provider down, a 4xx, a timeout) is still
/// answered as an ordinary problem+json response with its real status. Only once a chunk has arrived
/// does the handler return the `text/event-stream` response, whose producer (on the server's stream
/// queue) relays the rest. A failure after that can no longer change the status: it is sent as an SSE
/// `data: {"error": {...}}` event (as OpenAI does), and the stream ends without `[DONE]`.
///
/// Usage is always recorded: the gateway always asks the upstream for the usage chunk
/// (`stream_options.include_usage`) and strips it (and the `usage: null` members) from what the
/// client receives unless the client asked for it too.
extension ChatGateway {
    /// Starts the upstream stream; returns once the first event is known.
    func openStream(_ call: PreparedCall) throws(GatewayError) -> Response {
        var body = call.body
        var options = body["stream_options"] ?? [:]
        options.set("include_usage", true)
        body.set("stream_options", options)
        let relay = StreamRelay()
        let upstreamBody = body
        upstreamQueue.async { self.runUpstream(call, body: upstreamBody, relay: relay) }
        let first = relay.next()
        if case .failed(let error) = first { throw error }
        return Self.eventStream(first: first, relay: relay, includeUsage: call.request.includeUsage)
    }

    /// The upstream side: relays chunks, then records usage (cancelled when the client left).
    private func runUpstream(_ call: PreparedCall, body: JSONValue, relay: StreamRelay) {
        var answer = ""
        let keep = settings.storePrompts
        do {
            let result = try chain.stream(body, model: call.model) { chunk in
                if keep, let text = chunk["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue {
                    answer += text
                }
                return relay.push(chunk)
            }
            let used = result.usage ?? TokenUsage()
            let record = UsageRecord(
                createdAt: call.startedAt, caller: call.caller, provider: result.provider, model: result.model,
                usage: used, costNanos: cost(provider: result.provider, model: result.model, usage: used),
                currency: settings.currency, latencyMilliseconds: Self.milliseconds(since: call.started),
                cacheHit: false, status: relay.isCancelled ? .cancelled : .ok, stream: true, prompt: storedPrompt(call),
                answer: keep ? ["content": .string(answer)] : nil)
            finish(record, cache: .off, started: call.started)
            relay.finish(nil)
        } catch {
            finish(failure(call, status: relay.isCancelled ? .cancelled : .error), cache: .off, started: call.started)
            relay.finish(error)
        }
    }

    /// The SSE response relaying `relay` from its `first` event.
    static func eventStream(first: StreamRelay.Event, relay: StreamRelay, includeUsage: Bool) -> Response {
        var headers = HTTPFields()
        headers.append(.contentType, "text/event-stream")
        headers.append(.cacheControl, "no-cache")
        headers.append("X-Accel-Buffering", "no")
        let stream = BodyStream { writer in
            var event = first
            do {
                while true {
                    switch event {
                    case .chunk(let chunk):
                        if let visible = includeUsage ? chunk : withoutUsage(chunk) {
                            try writer.write(sseEvent(visible))
                        }
                    case .end:
                        try writer.write(Array("data: [DONE]\n\n".utf8))
                        return
                    case .failed(let error):
                        let problem = error.problem()
                        let member = problem.members.first { $0.name == "error" }?.json ?? Array("{}".utf8)
                        try writer.write(Array("data: {\"error\":".utf8) + member + Array("}\n\n".utf8))
                        return
                    }
                    event = relay.next()
                }
            } catch {
                relay.cancel()  // the client went away: stop the upstream call
                throw error
            }
        }
        return Response(status: .ok, headers: headers, body: .stream(stream))
    }

    /// `data: {json}\n\n`.
    static func sseEvent(_ json: JSONValue) -> [UInt8] {
        var out = Array("data: ".utf8)
        json.append(to: &out)
        out.append(contentsOf: [0x0A, 0x0A])
        return out
    }

    /// A chunk as a client that did not ask for usage sees it: without `usage`, and nil for the final
    /// usage-only chunk (no choices).
    static func withoutUsage(_ chunk: JSONValue) -> JSONValue? {
        guard chunk["usage"] != nil else { return chunk }
        if let choices = chunk["choices"]?.arrayValue, choices.isEmpty { return nil }
        var out = chunk
        out.set("usage", nil)
        return out
    }
}
