import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where log lines go: an in-memory buffer written out by a background queue every ~100 ms, or as soon
/// as it passes 64 KiB. A request's access line therefore costs a lock and a copy, never a `write(2)`;
/// `flush()` at shutdown writes what is left. Only when the writer falls far behind (`hardLimit`) does
/// an appending thread write itself, so a stalled stdout slows requests instead of eating memory.
public final class LogSink: Sendable {
    /// Receives a chunk of whole lines; runs on the flushing thread, one chunk at a time.
    public typealias Writer = @Sendable (UnsafeRawBufferPointer) -> Void

    public static let defaultFlushInterval: Duration = .milliseconds(100)
    public static let defaultFlushThreshold = 64 * 1024

    /// The process's standard output, flushed in the background.
    public static let standardOutput = LogSink(writer: LogSink.fileDescriptorWriter(STDOUT_FILENO))

    private struct Buffer {
        var lines: [UInt8] = []
        /// The previous chunk's storage, handed back after writing so steady state allocates nothing.
        var spare: [UInt8] = []
        var flushScheduled = false
    }

    // Lines appended by any thread, waiting for the next flush.
    private let pending = Mutex(Buffer())
    // Held while a chunk is written, so chunks reach the writer in the order they were taken.
    private let writing = Mutex<Void>(())
    // The periodic flush; cancelled on deinit so a test's sink does not outlive the test.
    private let timer: TimerSource?
    private let queue: DispatchQueue?
    private let writer: Writer
    private let threshold: Int
    private let hardLimit: Int

    /// - Parameters:
    ///   - writer: receives chunks of complete lines.
    ///   - flushInterval: how often the background queue flushes; nil for no background flushing
    ///     (then passing `threshold` flushes from the appending thread).
    ///   - threshold: buffered bytes that trigger a flush before the timer's next tick.
    public init(
        writer: @escaping Writer, flushInterval: Duration? = LogSink.defaultFlushInterval,
        threshold: Int = LogSink.defaultFlushThreshold
    ) {
        self.writer = writer
        self.threshold = threshold
        self.hardLimit = 16 * threshold
        guard let flushInterval else {
            timer = nil
            queue = nil
            return
        }
        let queue = DispatchQueue(label: "travelsense.log-flush", qos: .utility)
        let source = DispatchSource.makeTimerSource(queue: queue)
        self.queue = queue
        timer = TimerSource(source: source)
        let (seconds, attoseconds) = flushInterval.components
        let interval = DispatchTimeInterval.nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        source.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(20))
        source.setEventHandler { [weak self] in self?.flush() }
        source.resume()
    }

    deinit {
        timer?.source.cancel()
    }

    /// Appends one line (the caller includes the trailing newline).
    public func append(_ line: [UInt8]) {
        let (inline, schedule) = pending.withLock { b -> (Bool, Bool) in
            b.lines.append(contentsOf: line)
            guard b.lines.count >= threshold else { return (false, false) }
            if queue == nil || b.lines.count >= hardLimit { return (true, false) }
            if b.flushScheduled { return (false, false) }
            b.flushScheduled = true
            return (false, true)
        }
        if inline {
            flush()
        } else if schedule, let queue {
            queue.async { [weak self] in self?.flush() }
        }
    }

    /// Writes everything buffered so far; returns once it has been handed to the writer.
    public func flush() {
        writing.withLock { _ in
            var chunk: [UInt8] = []
            pending.withLock { b in
                b.flushScheduled = false
                swap(&chunk, &b.spare)
                swap(&chunk, &b.lines)
            }
            if !chunk.isEmpty { chunk.withUnsafeBytes { writer($0) } }
            chunk.removeAll(keepingCapacity: true)
            let reusable = chunk
            pending.withLock { $0.spare = reusable }
        }
    }

    /// Dispatch sources are thread-safe objects; the protocol is just not annotated `Sendable`.
    private struct TimerSource: @unchecked Sendable {
        let source: any DispatchSourceTimer
    }

    /// A writer for a file descriptor: retries partial writes and EINTR, waits (bounded) when the
    /// descriptor is non-blocking and full, and drops the chunk if the descriptor is gone, since there
    /// is nowhere left to report a logging failure.
    public static func fileDescriptorWriter(_ fd: Int32) -> Writer {
        { bytes in
            guard var base = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let n = write(fd, base, left)
                if n > 0 {
                    base += n
                    left -= n
                } else if n < 0, errno == EINTR {
                    continue
                } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    if poll(&p, 1, 1000) <= 0 { return }
                } else {
                    return
                }
            }
        }
    }
}
