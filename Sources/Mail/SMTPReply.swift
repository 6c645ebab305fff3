/// One SMTP reply (RFC 5321 §4.2): a three-digit code, an optional enhanced status code (RFC 3463,
/// "5.1.1") and the text of each line.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    /// 2xx success, 3xx "go on", 4xx transient failure, 5xx permanent failure.
    public var code: Int
    /// The RFC 3463 code when the server sent one ("4.7.0"), else nil.
    public var enhancedCode: String?
    /// The text after the code of each line, enhanced code included, in order.
    public var lines: [String]

    public init(code: Int, enhancedCode: String? = nil, lines: [String]) {
        self.code = code
        self.enhancedCode = enhancedCode
        self.lines = lines
    }

    /// 2xx or 3xx.
    public var isPositive: Bool { (200..<400).contains(code) }
    /// 4xx: the same command may succeed later.
    public var isTransient: Bool { (400..<500).contains(code) }

    /// "550 5.1.1 no such user" — the code and the first line, cut at 200 characters for logs.
    public var description: String {
        let text = lines.first ?? ""
        let line = text.isEmpty ? "\(code)" : "\(code) \(text)"
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}

/// Assembles replies from lines: `250-first`, `250-second`, `250 last`.
struct SMTPReplyParser {
    /// A server that sends more continuation lines than this is broken or hostile.
    static let maximumLines = 100

    private var code: Int?
    private var lines: [String] = []

    /// Adds one line (without CRLF). Returns the reply when `line` was its last line.
    mutating func add(_ line: [UInt8]) throws(MailError) -> SMTPReply? {
        // "ddd", "ddd text" or "ddd-text"; the first digit is 2…5 (RFC 5321 §4.2).
        guard line.count >= 3, (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(line[0]),
            line[1...2].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { throw .protocolViolation("malformed reply line \"\(Self.printable(line.prefix(80)))\"") }
        let value = line[0...2].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        if let code, code != value {
            throw .protocolViolation("reply lines carry different codes \(code) and \(value)")
        }
        let separator = line.count > 3 ? line[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw .protocolViolation("malformed reply line \"\(Self.printable(line.prefix(80)))\"")
        }
        code = value
        lines.append(Self.printable(line.dropFirst(4)))
        if separator == UInt8(ascii: "-") {
            guard lines.count < Self.maximumLines else { throw .protocolViolation("reply longer than 100 lines") }
            return nil
        }
        defer { self = SMTPReplyParser() }
        return SMTPReply(code: value, enhancedCode: Self.enhancedCode(lines[0], code: value), lines: lines)
    }

    /// The "class.subject.detail" prefix of `text` when its class matches the reply's first digit.
    static func enhancedCode(_ text: String, code: Int) -> String? {
        let candidate = text.prefix { $0 != " " }
        let parts = candidate.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "\(code / 100)",
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return String(candidate)
    }

    /// Server text with control and non-ASCII bytes replaced, so a reply cannot forge log lines.
    static func printable(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
