import HTTP

/// A failed exchange, with what the retry rule needs to know about how far it got.
struct ExchangeFailure: Error {
    let error: HTTPClientError
    /// The connection was found dead — closed or reset on the write or before any response byte — so
    /// the server cannot have answered; whether it acted on the request is unknown unless `sentAny` is false.
    let diedBeforeResponse: Bool
    /// Whether any byte of the request reached the kernel.
    let sentAny: Bool
}

/// Called with each final response head and its framing; returning false abandons the exchange.
typealias HeadHandler = (HTTPClientResponseHead, ResponseFraming) throws(HTTPClientError) -> Bool
/// Called with body bytes as they are decoded; returning false abandons the exchange.
typealias BodyHandler = ([UInt8]) throws(HTTPClientError) -> Bool

extension ClientConnection {
    /// Sends one serialized request and reads its response, handing the head and body pieces over as
    /// they arrive. Returns whether the connection may carry another request: the response was read to
    /// its end, nobody said `Connection: close`, the body was not delimited by the close, and no stray
    /// bytes followed it. An abandoned exchange returns false.
    func exchange(
        _ request: [UInt8], method: HTTPMethod, asksToClose: Bool, until deadline: ContinuousClock.Instant,
        onHead: HeadHandler, onBody: BodyHandler
    ) throws(ExchangeFailure) -> Bool {
        var sentAny = false
        var received = false
        do {
            try write(request, until: deadline, sentAny: &sentAny)
            return try receive(
                method: method, asksToClose: asksToClose, until: deadline, received: &received, onHead: onHead,
                onBody: onBody)
        } catch {
            let lost = if case .connectionClosed = error { true } else { false }
            throw ExchangeFailure(error: error, diedBeforeResponse: lost && !received, sentAny: sentAny)
        }
    }

    /// Most interim (1xx) responses skipped before the final one; a server sending more is broken.
    private static let maxInterimResponses = 16

    private func receive(
        method: HTTPMethod, asksToClose: Bool, until deadline: ContinuousClock.Instant, received: inout Bool,
        onHead: HeadHandler, onBody: BodyHandler
    ) throws(HTTPClientError) -> Bool {
        var interim = 0
        var head: HTTPClientResponseHead
        while true {
            head = try readHead(until: deadline, received: &received)
            guard head.status.code < 200 else { break }
            // 100 Continue and other interim responses precede the real one (RFC 9110 §15.2); we never
            // ask to switch protocols, so a 101 is a server answering some other request.
            guard head.status.code != 101 else { throw .malformedResponse("unexpected 101 Switching Protocols") }
            interim += 1
            guard interim <= Self.maxInterimResponses else {
                throw .malformedResponse("more than \(Self.maxInterimResponses) interim responses")
            }
        }
        let framing = try ResponseFraming(head: head, method: method)
        var reusable = head.keepsAlive && !asksToClose && framing != .untilClose
        guard try onHead(head, framing) else { return false }
        var decoder = ResponseBodyDecoder(framing: framing)
        while true {
            var piece: [UInt8] = []
            try decoder.decode(buffer, &start, into: &piece)
            if !piece.isEmpty {
                guard try onBody(piece) else { return false }
            }
            if decoder.isComplete { break }
            guard try fill(until: deadline) > 0 else {
                try decoder.finishAtEndOfStream()
                reusable = false
                break
            }
        }
        // Bytes after the body answer nothing we sent: the framing on this connection cannot be trusted.
        return reusable && start == buffer.count
    }

    private func readHead(
        until deadline: ContinuousClock.Instant, received: inout Bool
    ) throws(HTTPClientError)
        -> HTTPClientResponseHead
    {
        var parser = ResponseHeadParser()
        while true {
            if let (head, end) = try parser.parse(buffer, from: start) {
                start = end
                return head
            }
            guard try fill(until: deadline) > 0 else {
                throw .connectionClosed(
                    received
                        ? "the server closed the connection in the middle of the response head"
                        : "the server closed the connection without responding")
            }
            received = true
        }
    }
}
