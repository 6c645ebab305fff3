import Kernel

/// A run of digit groups joined by single separators (space, `-`, `.`, or parentheses around a group),
/// optionally after a `+`, and what it is:
/// - a **card** number: 13–19 digits grouped only by spaces or dashes, passing the Luhn check;
/// - a **passport** number: one group of 6–9 digits right after the word "passport";
/// - a **phone** number: `+` and 8–15 digits (international); or 8–15 digits in groups of two or more
///   with separators, or 9–11 digits in one group starting with the trunk `0` (national formats).
///
/// Never a phone: dates (`2026-11-24`, `24.11.2026`, and whatever follows them), thousands-grouped
/// amounts (`1.250.000`; commas and colons end a run, so `1,250.00` and `14:30` never form one), and
/// lists of years (`2025 2026`), and long digit strings that do not start with `0` (booking references,
/// order numbers).
struct NumberRun {
    var digits: [UInt8] = []
    var groups: [Int] = []
    var separators: [UInt8] = []
    var international = false
    var parenthesised = false
    /// Just past the last digit (or closing parenthesis).
    var end = 0

    static let maximumDigits = 19

    init?(_ b: [UInt8], from start: Int) {
        var i = start
        if b[i] == UInt8(ascii: "+") {
            international = true
            i += 1
        }
        while i < b.count {
            var open = false
            if b[i] == UInt8(ascii: "(") {
                open = true
                i += 1
            }
            let groupStart = i
            while i < b.count, ByteClass.isDigit(b[i]), digits.count <= Self.maximumDigits {
                digits.append(b[i])
                i += 1
            }
            guard i > groupStart else { break }
            if open {
                guard i < b.count, b[i] == UInt8(ascii: ")") else { return nil }
                i += 1
                parenthesised = true
            }
            groups.append(i - groupStart)
            end = i
            // A separator continues the run only when a digit (or an opening parenthesis) follows it;
            // ") " is one separator as in "(555) 123-4567".
            var j = i
            if j < b.count, b[j] == UInt8(ascii: " ") || b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: ".") {
                j += 1
            } else if !(open && j < b.count && ByteClass.isDigit(b[j])) {
                break
            }
            guard j < b.count, ByteClass.isDigit(b[j]) || b[j] == UInt8(ascii: "(") else { break }
            separators.append(j > i ? b[i] : UInt8(ascii: " "))
            i = j
        }
        guard !groups.isEmpty, digits.count <= Self.maximumDigits else { return nil }
        // A number glued to letters ("12345678abc") is something else.
        if end < b.count, ByteClass.isLetter(b[end]) { return nil }
    }

    /// What this run is among `kinds`, or nil.
    func classify(kinds: Set<AISettings.Redaction>, passportContext: Bool) -> AISettings.Redaction? {
        if kinds.contains(.card), isCard { return .card }
        if kinds.contains(.passport), passportContext, !international, groups.count == 1, (6...9).contains(digits.count)
        {
            return .passport
        }
        if kinds.contains(.phone), isPhone { return .phone }
        return nil
    }

    var isCard: Bool {
        !international && !parenthesised && (13...19).contains(digits.count)
            && separators.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") } && Self.luhn(digits)
    }

    var isPhone: Bool {
        if international { return (8...15).contains(digits.count) }
        guard (8...15).contains(digits.count), !startsWithDate, !isGroupedAmount, !isYears else { return false }
        if groups.count == 1 { return digits[0] == UInt8(ascii: "0") && (9...11).contains(digits.count) }
        // Separated groups: two digits or more each, as phone numbers are written.
        return groups.allSatisfy { $0 >= 2 }
    }

    /// `2026-11-24`, `2026.11.24`, `24-11-2026`, `24.11.2026` at the start of the run.
    var startsWithDate: Bool {
        guard groups.count >= 3, separators[0] == separators[1], separators[0] != UInt8(ascii: " ") else {
            return false
        }
        let shape = Array(groups.prefix(3))
        return shape == [4, 2, 2] || shape == [2, 2, 4]
    }

    /// `2025 2026`: a list of years.
    var isYears: Bool {
        var offset = 0
        for count in groups {
            guard count == 4, digits[offset] == UInt8(ascii: "1") || digits[offset] == UInt8(ascii: "2") else {
                return false
            }
            offset += count
        }
        return true
    }

    /// `1.250.000` or `12 500 000`: a first group of 1–3 digits, then groups of exactly three.
    var isGroupedAmount: Bool {
        groups.count >= 2 && groups[0] <= 3 && groups.dropFirst().allSatisfy { $0 == 3 }
            && Set(separators).count == 1 && separators[0] != UInt8(ascii: "-")
    }

    /// The Luhn check digit test (ISO/IEC 7812) over ASCII digits.
    static func luhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (n, d) in digits.reversed().enumerated() {
            var v = Int(d - 0x30)
            if n % 2 == 1 {
                v *= 2
                if v > 9 { v -= 9 }
            }
            sum += v
        }
        return sum % 10 == 0
    }
}

/// Passport numbers: one or two capital letters then 6–9 digits (`X1234567`, `AB1234567`). Only the
/// commonest shape (letters + exactly 7 digits) counts on its own; any other length needs the word
/// "passport" (or its French, Spanish or German form) in the 48 bytes before it — otherwise hotel and
/// booking references of the same shape would go too.
enum PassportNumber {
    static let keywordWindow = 48
    static let keywords: [[UInt8]] = ["passport", "passeport", "pasaporte", "reisepass"].map { Array($0.utf8) }

    static func end(in b: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < b.count, i - start < 2, ByteClass.isUpper(b[i]) { i += 1 }
        let letters = i - start
        let digitStart = i
        while i < b.count, ByteClass.isDigit(b[i]) { i += 1 }
        let digits = i - digitStart
        guard letters >= 1, (6...9).contains(digits) else { return nil }
        if i < b.count, ByteClass.isAlphanumeric(b[i]) { return nil }
        return digits == 7 || hasKeyword(before: start, in: b) ? i : nil
    }

    /// Whether a passport keyword (any case) ends within `keywordWindow` bytes before `position`.
    static func hasKeyword(before position: Int, in b: [UInt8]) -> Bool {
        let from = max(0, position - keywordWindow)
        guard position - from >= 8 else { return false }
        let window = b[from..<position].map { ByteClass.isUpper($0) ? $0 + 0x20 : $0 }
        for keyword in keywords where window.count >= keyword.count {
            for s in 0...(window.count - keyword.count) where window[s] == keyword[0] {
                if Array(window[s..<(s + keyword.count)]) == keyword { return true }
            }
        }
        return false
    }
}
