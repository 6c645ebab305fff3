import Foundation
import HTTP
import Kernel

/// Streaming (`stream: true`). The upstream call starts on `upstreamThreads` while the handler waits for
/// its first event: a failure before any chunk (every provider down, a 4xx, a timeout) is still
/// answered as an ordinary problem+json response with its real status. Only once a chunk has arrived
/// does the handler return the `text/event-stream` response, whose producer (on the server's stream
/// queue) relays the rest. A failure after that can no longer change the status: it is sent as an SSE
/// `data: {"error": {...}}` event (as OpenAI does), and the stream ends without `[DONE]`.
///
/// Usage is always recorded: the providers always ask the upstream for it, and the chain passes the
/// usage chunk (and the `usage` members) on only when the client asked (`stream_options.include_usage`).
extension ChatGateway {
    /// Starts the upstream stream; returns once the first event is known.
    func openStream(_ call: PreparedCall) throws(GatewayError) -> Response {
        let relay = StreamRelay()
        upstreamThreads.run { self.runUpstream(call, relay: relay) }
        let first = relay.next()
        if case .failed(let error) = first { throw error }
        return Self.eventStream(first: first, relay: relay)
    }

    /// The upstream side: relays chunks, then records usage (cancelled when the client left).
    private func runUpstream(_ call: PreparedCall, relay: StreamRelay) {
        var answer = ""
        let keep = settings.storePrompts
        do {
            let result = try chain.stream(call.body, model: call.model) { chunk in
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
                cacheHit: false, status: result.cancelled || relay.isCancelled ? .cancelled : .ok, stream: true,
                prompt: storedPrompt(call),
                answer: keep ? ["content": .string(answer)] : nil)
            finish(record, cache: .off, started: call.started)
            relay.finish(nil)
        } catch {
            finish(failure(call, status: relay.isCancelled ? .cancelled : .error), cache: .off, started: call.started)
            relay.finish(error)
        }
    }

    /// The SSE response relaying `relay` from its `first` event.
    static func eventStream(first: StreamRelay.Event, relay: StreamRelay) -> Response {
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
                        try writer.write(ServerSentEventEncoder.encode(chunk))
                    case .end:
                        try writer.write(ServerSentEventEncoder.done)
                        return
                    case .failed(let error):
                        let member = error.problem().members.first { $0.name == "error" }?.json ?? Array("{}".utf8)
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
}
