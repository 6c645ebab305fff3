import Logging

/// A metadata value the JSON log encoder writes as a number rather than a string, so log pipelines can
/// aggregate it (`duration_ms`, `bytes`, `status`).
public struct LogNumber: Sendable, CustomStringConvertible {
    /// Already in JSON number syntax.
    public let description: String

    public init(_ value: Int) {
        description = String(value)
    }

    /// Milliseconds with exactly three decimals (microsecond resolution), e.g. `0.042`.
    public init(milliseconds duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let micros = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        let fraction = String(micros % 1000)
        description = "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension Logger.MetadataValue {
    /// An integer metadata value that the JSON encoder writes as a number.
    public static func number(_ value: Int) -> Logger.MetadataValue { .stringConvertible(LogNumber(value)) }
}
