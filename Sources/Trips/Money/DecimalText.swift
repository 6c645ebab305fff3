/// Strict parser for unsigned decimal text in JSON number syntax.
///
/// Foundation's `Decimal(string:)` honours the locale and stops silently at the first bad
/// character ("1.5abc" is 1.5), so money input is parsed by hand from ASCII bytes instead.
enum DecimalText {
    /// Significant digits (no leading or trailing zeros) and the power of ten they are scaled by.
    struct Parsed: Equatable {
        var digits: [UInt8]
        var exponent: Int
    }

    /// Longest exponent accepted after `e`; four digits already exceed every sane rate.
    private static let maxExponentDigits = 4

    static func parse(_ text: String, field: String, maxLength: Int) throws(MoneyError) -> Parsed {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .invalid(field: field, message: "must not be empty") }
        guard bytes.count <= maxLength else {
            throw .invalid(field: field, message: "must be at most \(maxLength) characters")
        }
        if bytes[0] == UInt8(ascii: "-") {
            throw .invalid(field: field, message: "must be positive")
        }
        var index = 0
        var digits: [UInt8] = []
        var fractionCount = 0
        while index < bytes.count, let digit = digitValue(bytes[index]) {
            digits.append(digit)
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                digits.append(digit)
                index += 1
            }
            fractionCount = index - start
            guard fractionCount > 0 else { throw malformed(field) }
        }
        guard !digits.isEmpty else { throw malformed(field) }
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var negative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                negative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let start = index
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                guard index - start < maxExponentDigits else { throw malformed(field) }
                exponent = exponent * 10 + Int(digit)
                index += 1
            }
            guard index > start else { throw malformed(field) }
            if negative { exponent = -exponent }
        }
        guard index == bytes.count else { throw malformed(field) }

        // Normalise: leading zeros carry no value, trailing zeros move into the exponent.
        exponent -= fractionCount
        let firstNonZero = digits.firstIndex { $0 != 0 }
        guard let first = firstNonZero else { throw .invalid(field: field, message: "must be positive") }
        var significant = Array(digits[first...])
        while let last = significant.last, last == 0 {
            significant.removeLast()
            exponent += 1
        }
        return Parsed(digits: significant, exponent: exponent)
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }

    private static func malformed(_ field: String) -> MoneyError {
        .invalid(field: field, message: "must be a decimal number such as 1.0834")
    }
}
