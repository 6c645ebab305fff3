import Kernel

/// Removes personal data from prompts before they leave for a provider (and before the cache key is
/// hashed, so a cached answer never depends on the removed value): e-mail addresses → `[email]`, phone
/// numbers → `[phone]`, card numbers → `[card]`, passport numbers → `[passport]`, each only when its
/// kind is in `AI_REDACT`.
///
/// It scans UTF-8 bytes by hand instead of using regular expressions: it runs on every request, and
/// the gateway's whole overhead budget is under a millisecond. What counts as each kind, and what is
/// deliberately left alone (dates, times, prices, flight numbers), is in `NumberRun` and
/// `PassportNumber`; the rules prefer missing an odd format to eating ordinary travel text.
struct Redactor: Sendable {
    let kinds: Set<AISettings.Redaction>

    init(_ kinds: Set<AISettings.Redaction>) {
        self.kinds = kinds
    }

    var isEnabled: Bool { !kinds.isEmpty }

    /// `request` with the text of every message (string content, and `text` parts of array content)
    /// redacted; everything else untouched.
    func redactMessages(in request: JSONValue) -> JSONValue {
        guard isEnabled, case .array(var messages)? = request["messages"] else { return request }
        var changed = false
        for index in messages.indices {
            guard case .object = messages[index], let content = messages[index]["content"] else { continue }
            let redacted = redactContent(content)
            if redacted != content {
                messages[index].set("content", redacted)
                changed = true
            }
        }
        guard changed else { return request }
        var out = request
        out.set("messages", .array(messages))
        return out
    }

    private func redactContent(_ content: JSONValue) -> JSONValue {
        switch content {
        case .string(let text):
            return .string(redact(text))
        case .array(var parts):
            for index in parts.indices {
                guard parts[index]["type"]?.stringValue == "text", let text = parts[index]["text"]?.stringValue else {
                    continue
                }
                parts[index].set("text", .string(redact(text)))
            }
            return .array(parts)
        default:
            return content
        }
    }

    /// `text` with every match of the configured kinds replaced by its placeholder.
    func redact(_ text: String) -> String {
        guard isEnabled else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var copied = 0
        var i = 0
        while i < bytes.count {
            switch match(bytes, at: i) {
            case .none:
                i += 1
            case .skip(let end):
                i = end
            case .replace(let end, let kind):
                if out.isEmpty { out.reserveCapacity(bytes.count) }
                out.append(contentsOf: bytes[copied..<i])
                out.append(contentsOf: Self.placeholder(kind))
                i = end
                copied = end
            }
        }
        guard copied > 0 else { return text }
        out.append(contentsOf: bytes[copied...])
        return String(decoding: out, as: UTF8.self)
    }

    enum Match {
        case none
        /// Not personal data, but do not look inside it again (the middle of a date).
        case skip(Int)
        case replace(Int, AISettings.Redaction)
    }

    private func match(_ b: [UInt8], at i: Int) -> Match {
        let c = b[i]
        let previous: UInt8? = i > 0 ? b[i - 1] : nil
        if kinds.contains(.email), EmailAddress.isLocalByte(c), previous.map(EmailAddress.isLocalByte) != true,
            let end = EmailAddress.end(in: b, from: i)
        {
            return .replace(end, .email)
        }
        if previous.map(ByteClass.isAlphanumeric) == true { return .none }
        if ByteClass.isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "(") {
            // Not inside a number: "3.14159265", "1,250,000" continue one.
            if let previous,
                previous == UInt8(ascii: ".") || previous == UInt8(ascii: ",")
                    || previous == UInt8(ascii: "-") || previous == UInt8(ascii: "/"),
                i >= 2, ByteClass.isDigit(b[i - 2])
            {
                return .none
            }
            guard let run = NumberRun(b, from: i) else { return .none }
            if let kind = run.classify(kinds: kinds, passportContext: PassportNumber.hasKeyword(before: i, in: b)) {
                return .replace(run.end, kind)
            }
            return .skip(run.end)
        }
        if kinds.contains(.passport), ByteClass.isUpper(c), let end = PassportNumber.end(in: b, from: i) {
            return .replace(end, .passport)
        }
        return .none
    }

    static func placeholder(_ kind: AISettings.Redaction) -> [UInt8] {
        Array("[\(kind.rawValue)]".utf8)
    }
}

/// ASCII byte classes (non-ASCII bytes are none of them: a scanner stops at them).
enum ByteClass {
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    static func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    static func isLetter(_ c: UInt8) -> Bool { isUpper(c) || isLower(c) }
    static func isAlphanumeric(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
}

/// `local@domain.tld`: a local part of letters, digits and `._%+-`, a domain of at least two labels
/// of letters, digits and hyphens, the last one two or more letters.
enum EmailAddress {
    static func isLocalByte(_ c: UInt8) -> Bool {
        ByteClass.isAlphanumeric(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "%")
            || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
    }

    /// The end of the address starting at `start`, or nil when there is none.
    static func end(in b: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < b.count, isLocalByte(b[i]) { i += 1 }
        guard i > start, i < b.count, b[i] == UInt8(ascii: "@") else { return nil }
        i += 1
        var labels = 0
        var lastLabelIsAlpha = false
        var lastLabelLength = 0
        var end = -1
        while i < b.count {
            let labelStart = i
            var alpha = true
            while i < b.count, ByteClass.isAlphanumeric(b[i]) || b[i] == UInt8(ascii: "-") {
                if !ByteClass.isLetter(b[i]) { alpha = false }
                i += 1
            }
            guard i > labelStart, b[labelStart] != UInt8(ascii: "-"), b[i - 1] != UInt8(ascii: "-") else { break }
            labels += 1
            lastLabelIsAlpha = alpha
            lastLabelLength = i - labelStart
            if labels >= 2, lastLabelIsAlpha, lastLabelLength >= 2 { end = i }
            // Another label only when a dot is followed by a label character ("a@b.com." ends a sentence).
            guard i + 1 < b.count, b[i] == UInt8(ascii: "."), ByteClass.isAlphanumeric(b[i + 1]) else { break }
            i += 1
        }
        return end > 0 ? end : nil
    }
}
