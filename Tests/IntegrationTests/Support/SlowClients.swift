#if canImport(Glibc)
    import Glibc
#endif

/// Many connections that trickle a request head one byte per tick, driven by one thread with poll(2),
/// recording when each one got its first response byte or saw the server close.
final class SlowClients {
    struct Outcome {
        /// From the first byte sent to the first response byte or the close; nil if neither happened.
        var elapsed: Duration?
        /// The status line's code if a response arrived, nil for a bare close.
        var status: Int?
        /// The server closed the connection (EOF or reset).
        var closed = false
    }

    private let clients: [RawClient]
    private let head = Array(("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: " + String(repeating: "s", count: 400)).utf8)

    init(count: Int, port: Int) throws {
        clients = try (0..<count).map { _ in try RawClient(port: port, timeout: .seconds(2)) }
    }

    /// Sends one byte to every open client each `tick` until every one is answered or closed, or `limit`.
    func run(tick: Duration, limit: Duration) -> [Outcome] {
        let n = clients.count
        var firstSent = [ContinuousClock.Instant?](repeating: nil, count: n)
        var outcomes = [Outcome](repeating: Outcome(), count: n)
        var received = [[UInt8]](repeating: [], count: n)
        var done = [Bool](repeating: false, count: n)
        var sentBytes = 0
        let start = ContinuousClock.now
        var nextTick = start
        var buffer = [UInt8](repeating: 0, count: 4096)
        while done.contains(false), ContinuousClock.now - start < limit {
            if ContinuousClock.now >= nextTick, sentBytes < head.count {
                for i in 0..<n where !done[i] {
                    let b = head[sentBytes]
                    _ = withUnsafePointer(to: b) { send(clients[i].fd, $0, 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                    if firstSent[i] == nil { firstSent[i] = ContinuousClock.now }
                }
                sentBytes += 1
                nextTick = nextTick + tick
            }
            var fds = (0..<n).filter { !done[$0] }.map { pollfd(fd: clients[$0].fd, events: Int16(POLLIN), revents: 0) }
            let open = (0..<n).filter { !done[$0] }
            let wait = max(
                1, min(50, Int((nextTick - ContinuousClock.now).components.attoseconds / 1_000_000_000_000_000)))
            guard poll(&fds, nfds_t(fds.count), Int32(wait)) > 0 else { continue }
            let now = ContinuousClock.now
            for (k, p) in fds.enumerated() where p.revents != 0 {
                let i = open[k]
                let r = buffer.withUnsafeMutableBytes {
                    recv(clients[i].fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
                }
                if r > 0 {
                    if received[i].isEmpty, let t = firstSent[i] { outcomes[i].elapsed = now - t }
                    received[i] += buffer[0..<r]
                    continue
                }
                if r < 0, errno == EAGAIN || errno == EINTR { continue }
                done[i] = true  // EOF or reset
                outcomes[i].closed = true
                if outcomes[i].elapsed == nil, let t = firstSent[i] { outcomes[i].elapsed = now - t }
                let statusLine = String(decoding: received[i].prefix(12), as: UTF8.self)
                if statusLine.hasPrefix("HTTP/1.1 ") { outcomes[i].status = Int(statusLine.dropFirst(9)) }
            }
        }
        return outcomes
    }
}
