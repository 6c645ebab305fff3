/// Validates chunk extensions byte by byte (RFC 9112 §7.1.1):
/// `*( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )` up to the CR of the chunk line.
///
/// Extensions are ignored, but they must be well-formed: a lenient scan (`5 6`, `2;`, an unterminated
/// quote) lets a proxy in front read a different chunk size than we do — a smuggling vector.
struct ChunkExtensionScanner {
    enum Verdict { case more, end, invalid }

    private enum State {
        case beforeSemicolon, afterSemicolon, name, afterName, afterEquals, token, quoted, escape, afterValue
    }

    private var state = State.beforeSemicolon

    /// Starts after the chunk size, at the byte that ended it (whitespace or ";").
    init() {}

    mutating func feed(_ b: UInt8) -> Verdict {
        let ws = b == ASCII.sp || b == ASCII.htab
        switch state {
        case .beforeSemicolon:
            if b == ASCII.semicolon { state = .afterSemicolon } else if !ws { return .invalid }
        case .afterSemicolon:
            if ASCII.isToken(b) { state = .name } else if !ws { return .invalid }
        case .name, .afterName:
            if ASCII.isToken(b), state == .name { return .more }
            if b == 0x3D { state = .afterEquals } else { return separator(b, ws: ws, next: .afterName) }
        case .afterEquals:
            if b == 0x22 { state = .quoted } else if ASCII.isToken(b) { state = .token } else if !ws { return .invalid }
        case .token:
            if ASCII.isToken(b) { return .more }
            return separator(b, ws: ws, next: .afterValue)
        case .quoted:
            if b == 0x22 {
                state = .afterValue
            } else if b == 0x5C {
                state = .escape
            } else if !Self.isQuotedText(b) {
                return .invalid
            }
        case .escape:
            guard b == ASCII.htab || b >= 0x20 && b != 0x7F else { return .invalid }
            state = .quoted
        case .afterValue:
            return separator(b, ws: ws, next: .afterValue)
        }
        return .more
    }

    /// After a name or value: whitespace, the next ";", or the end of the line.
    private mutating func separator(_ b: UInt8, ws: Bool, next: State) -> Verdict {
        if b == ASCII.cr { return .end }
        if b == ASCII.semicolon {
            state = .afterSemicolon
        } else if ws {
            state = next
        } else {
            return .invalid
        }
        return .more
    }

    /// qdtext: HTAB, SP, visible ASCII except `"` and `\`, and obs-text.
    private static func isQuotedText(_ b: UInt8) -> Bool {
        b == ASCII.htab || b == ASCII.sp || (b >= 0x21 && b != 0x22 && b != 0x5C && b != 0x7F)
    }
}
