import Foundation

/// Folds place names and queries into search keys: lower-case, no diacritics, no punctuation.
///
/// "São Paulo" → `sao paulo`, "Zürich" → `zurich`, "Xi’an" → `xian`, "Saint-Denis" → `saint denis`.
/// Keys are UTF-8 bytes with words separated by one space. ASCII takes a byte-level fast path, so
/// folding the ~150 000 names of the world-cities file at start-up stays cheap. The rules match
/// `scripts/gazetteer/build.py`, which writes the `asciiname` column the same way.
enum SearchKeyFolding {
    /// Appends the key of `bytes` (UTF-8; invalid sequences act as word breaks) to `key`.
    static func appendKey(of bytes: UnsafeBufferPointer<UInt8>, to key: inout [UInt8]) {
        let keyStart = key.count
        var pendingSpace = false
        var index = 0
        // Emits one folded character, turning any run of separators before it into a single space.
        func emit(_ byte: UInt8) {
            if pendingSpace && key.count > keyStart { key.append(space) }
            pendingSpace = false
            key.append(byte)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): emit(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): emit(byte | 0x20)
                case UInt8(ascii: "'"), UInt8(ascii: "`"): break
                default: pendingSpace = true
                }
                continue
            }
            guard let (scalar, width) = decodeScalar(bytes, at: index) else {
                index += 1
                pendingSpace = true
                continue
            }
            index += width
            switch fold(scalar) {
            case .drop: break
            case .separator: pendingSpace = true
            case .bytes(let folded): folded.forEach(emit)
            }
        }
    }

    /// The key of a Swift string, e.g. a query.
    static func key(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var key: [UInt8] = []
        key.reserveCapacity(utf8.count)
        utf8.withUnsafeBufferPointer { appendKey(of: $0, to: &key) }
        return key
    }

    private static let space = UInt8(ascii: " ")

    // MARK: - Non-ASCII

    private enum Folded {
        case drop
        case separator
        case bytes([UInt8])
    }

    private static func fold(_ scalar: Unicode.Scalar) -> Folded {
        let value = scalar.value
        if let table = latinTables.first(where: { $0.range.contains(value) }),
            let folded = table.folded[Int(value - table.range.lowerBound)]
        {
            return folded.isEmpty ? .drop : .bytes(folded)
        }
        if apostrophes.contains(value) { return .drop }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format: return .drop
        default: break
        }
        guard properties.isAlphabetic || properties.numericType != nil else { return .separator }
        // Other scripts (Cyrillic, CJK, …) stay searchable as themselves, just lower-cased.
        return .bytes(Array(properties.lowercaseMapping.utf8))
    }

    /// ’ ‘ ʻ ʼ ´ ′: "Xi’an" and "Xian" must meet.
    private static let apostrophes: Set<UInt32> = [0x2019, 0x2018, 0x02BB, 0x02BC, 0x00B4, 0x2032]

    /// Letters without a canonical decomposition to an ASCII base; same list as build.py.
    private static let specialLetters: [Character: String] = [
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
        "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ł": "l", "Ł": "l",
        "ı": "i", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t", "ə": "e", "Ə": "e", "ŋ": "ng", "Ŋ": "ng",
        "ĸ": "k", "ſ": "s",
    ]

    private struct LatinTable: Sendable {
        let range: ClosedRange<UInt32>
        /// nil: no ASCII folding, use the generic rules; empty: drop (combining marks).
        let folded: [[UInt8]?]
    }

    /// Latin-1 Supplement through IPA Extensions (for "ə"), combining diacritics and Latin Extended
    /// Additional (Vietnamese): built once from Unicode compatibility decompositions.
    private static let latinTables: [LatinTable] = [
        latinTable(0x00C0...0x02AF), latinTable(0x0300...0x036F), latinTable(0x1E00...0x1EFF),
    ]

    private static func latinTable(_ range: ClosedRange<UInt32>) -> LatinTable {
        LatinTable(
            range: range,
            folded: range.map { value in
                guard let scalar = Unicode.Scalar(value) else { return nil }
                if let special = specialLetters[Character(scalar)] { return Array(special.utf8) }
                if case .nonspacingMark = scalar.properties.generalCategory { return [] }
                let decomposed = String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars
                var ascii: [UInt8] = []
                for part in decomposed {
                    if part.isASCII, let byte = UInt8(exactly: part.value) {
                        let character = Character(part)
                        guard character.isLetter || character.isNumber else { return nil }
                        ascii.append(character.isUppercase ? byte | 0x20 : byte)
                    } else if case .nonspacingMark = part.properties.generalCategory {
                        continue
                    } else {
                        return nil
                    }
                }
                return ascii.isEmpty ? nil : ascii
            })
    }

    /// Decodes one UTF-8 scalar starting at `index`; nil for malformed, overlong or surrogate input.
    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let width: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: (width, value) = (2, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (width, value) = (3, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (width, value) = (4, UInt32(lead & 0x07))
        default: return nil
        }
        guard index + width <= bytes.count else { return nil }
        for offset in 1..<width {
            let continuation = bytes[index + offset]
            guard continuation & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        let minimum: UInt32 = width == 2 ? 0x80 : (width == 3 ? 0x800 : 0x10000)
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, width)
    }
}
