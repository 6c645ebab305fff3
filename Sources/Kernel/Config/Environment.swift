import Foundation

/// Reads configuration from environment variables, 12-factor style, collecting every problem instead of
/// stopping at the first (call `validate()` once at the end).
///
/// Every variable `NAME` may instead be given as `NAME_FILE`, the path of a file holding the value
/// (Kubernetes secrets, Vault agent files); one trailing newline sequence is trimmed. Setting both is
/// an error, since which one wins would be a guess. An empty value counts as unset, because
/// `NAME=` in a compose file or manifest usually means "not configured".
public struct Environment: Sendable {
    private let values: [String: String]
    private let readFile: @Sendable (String) throws -> String
    public private(set) var problems: [ConfigProblem] = []

    /// - Parameters:
    ///   - values: the variables, usually `ProcessInfo.processInfo.environment`.
    ///   - readFile: how `NAME_FILE` paths are read; injectable for tests.
    public init(
        _ values: [String: String], readFile: @escaping @Sendable (String) throws -> String = Environment.readFile
    ) {
        self.values = values
        self.readFile = readFile
    }

    /// The current process environment.
    public static func current() -> Environment {
        Environment(ProcessInfo.processInfo.environment)
    }

    /// Reads a whole file as UTF-8.
    @Sendable public static func readFile(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let text = String(data: data, encoding: .utf8) else { throw InvalidUTF8() }
        return text
    }

    private struct InvalidUTF8: Error, CustomStringConvertible {
        var description: String { "file is not UTF-8" }
    }

    /// Records a problem for `name`.
    public mutating func problem(_ name: String, _ message: String) {
        problems.append(ConfigProblem(variable: name, message: message))
    }

    /// How many problems have been recorded (a loader compares before and after a group of variables).
    public var problemCount: Int { problems.count }

    /// Throws one `ConfigError` naming every problem recorded so far.
    public func validate() throws(ConfigError) {
        if !problems.isEmpty { throw ConfigError(problems: problems) }
    }

    // MARK: Raw values

    /// The value of `name` or of the file `name_FILE` names; nil when neither is set (or both are
    /// empty). Records a problem when both are set or the file cannot be read.
    public mutating func string(_ name: String) -> String? {
        let direct = values[name].flatMap { $0.isEmpty ? nil : $0 }
        let fileVar = name + "_FILE"
        let path = values[fileVar].flatMap { $0.isEmpty ? nil : $0 }
        switch (direct, path) {
        case (nil, nil):
            return nil
        case (let v?, nil):
            return v
        case (_?, _?):
            problem(name, "set either \(name) or \(fileVar), not both")
            return nil
        case (nil, let p?):
            do {
                let text = Self.trimmingTrailingNewline(try readFile(p))
                return text.isEmpty ? nil : text
            } catch {
                problem(fileVar, "cannot read \(p): \(error)")
                return nil
            }
        }
    }

    /// Removes trailing CR/LF characters only: a secret may legitimately end in spaces.
    static func trimmingTrailingNewline(_ s: String) -> String {
        var s = Substring(s)
        while let last = s.last, last == "\n" || last == "\r" || last == "\r\n" { s = s.dropLast() }
        return String(s)
    }

    // MARK: Typed accessors (each returns the default after recording a problem)

    public mutating func string(_ name: String, default value: String) -> String {
        string(name) ?? value
    }

    /// A decimal integer within `range`. Digits only: `Int("+5")` would accept a sign and
    /// `Int(" 5")` would not, neither is what an operator expects.
    public mutating func int(_ name: String, default value: Int, in range: ClosedRange<Int>) -> Int {
        guard let raw = string(name) else { return value }
        guard let n = Self.parseDigits(raw), range.contains(n) else {
            problem(name, "must be an integer from \(range.lowerBound) to \(range.upperBound) (got \(quoted(raw)))")
            return value
        }
        return n
    }

    /// A number of seconds, decimals allowed (`2.5`), within `range`.
    public mutating func seconds(_ name: String, default value: Duration, in range: ClosedRange<Double>) -> Duration {
        guard let raw = string(name) else { return value }
        guard let s = Self.parseDecimal(raw), range.contains(s) else {
            problem(
                name,
                "must be a number of seconds from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound)) (got \(quoted(raw)))"
            )
            return value
        }
        return .nanoseconds(Int64((s * 1e9).rounded()))
    }

    /// true/false, 1/0, yes/no, on/off (any case).
    public mutating func bool(_ name: String, default value: Bool) -> Bool {
        guard let raw = string(name) else { return value }
        switch raw.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            problem(name, "must be true or false (got \(quoted(raw)))")
            return value
        }
    }

    /// One of a fixed set of words (case-insensitive), e.g. a log level.
    public mutating func choice<T>(_ name: String, default value: T, options: KeyValuePairs<String, T>) -> T {
        guard let raw = string(name) else { return value }
        if let match = options.first(where: { $0.key == raw.lowercased() }) { return match.value }
        problem(name, "must be one of \(options.map(\.key).joined(separator: ", ")) (got \(quoted(raw)))")
        return value
    }

    /// A URL whose scheme is one of `schemes`. The value is never echoed in a problem: connection URLs
    /// carry passwords.
    public mutating func url(_ name: String, schemes: [String], required: Bool = false) -> String? {
        let before = problems.count
        guard let raw = string(name) else {
            if required, problems.count == before { problem(name, "is required (or \(name)_FILE)") }
            return nil
        }
        let lower = raw.lowercased()
        guard schemes.contains(where: { lower.hasPrefix($0 + "://") && lower.count > $0.count + 3 }) else {
            problem(name, "must be a URL starting with \(schemes.map { $0 + "://" }.joined(separator: " or "))")
            return nil
        }
        return raw
    }

    // MARK: Parsing

    /// Non-negative decimal integer from ASCII digits, with overflow checks.
    static func parseDigits(_ s: String) -> Int? {
        guard !s.isEmpty else { return nil }
        var n = 0
        for b in s.utf8 {
            guard b >= 0x30, b <= 0x39 else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(b - 0x30))
            if o1 || o2 { return nil }
            n = a
        }
        return n
    }

    /// `digits[.digits]` only: `Double("inf")`, `"1e3"` or `"0x10"` would parse but are not what anyone
    /// means by a number of seconds.
    static func parseDecimal(_ s: String) -> Double? {
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) else { return nil }
        return Double(s)
    }

    private static func format(_ d: Double) -> String {
        d == d.rounded() ? String(Int(d)) : String(d)
    }

    private func quoted(_ raw: String) -> String {
        let shown = raw.count > 64 ? String(raw.prefix(64)) + "…" : raw
        return "\"" + shown.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "?" }.joined() + "\""
    }
}
