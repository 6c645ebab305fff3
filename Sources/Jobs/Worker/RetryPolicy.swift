/// How long a failed job waits before its next attempt.
public struct RetryPolicy: Sendable {
    /// The delay after `attempt` (1-based) failed.
    public let delay: @Sendable (_ attempt: Int) -> Duration

    public init(delay: @escaping @Sendable (_ attempt: Int) -> Duration) {
        self.delay = delay
    }

    /// ± this fraction of the delay, so jobs that failed together do not retry together.
    public static let jitterFraction = 0.1
    /// No retry waits longer than this (attempt^4 passes it around attempt 36).
    public static let maxDelay: Duration = .seconds(30 * 86_400)

    /// `attempt^4` seconds ± 10 %: 1 s, 16 s, 81 s, 4 min, 10 min, … about 3 weeks over 25 attempts.
    public static let standard = RetryPolicy { attempt in
        let base = min(Double(max(attempt, 1)).power4, maxDelay.jobSeconds)
        let jitter = Double.random(in: -jitterFraction...jitterFraction)
        return .milliseconds(Int64((base * (1 + jitter) * 1000).rounded()))
    }

    /// A fixed delay (tests, and kinds that poll something external).
    public static func constant(_ delay: Duration) -> RetryPolicy {
        RetryPolicy { _ in delay }
    }
}

extension Double {
    fileprivate var power4: Double { self * self * self * self }
}
