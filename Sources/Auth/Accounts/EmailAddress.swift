import Foundation

/// E-mail addresses as accounts see them: trimmed and lower-cased, so `Ana@Example.com ` and
/// `ana@example.com` are one account. The check is deliberately loose (one `@`, a dotted domain, no
/// spaces or controls, RFC 5321 lengths): the verification mail is the real test.
enum EmailAddress {
    static let maximumLength = 254

    /// The normalised address, or nil when it cannot be one.
    static func normalize(_ text: String) -> String? {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard email.utf8.count <= maximumLength else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return nil }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..")
        else { return nil }
        let forbidden: Set<Character> = [" ", "\t", "<", ">", "(", ")", ",", ";", ":", "\\", "\"", "[", "]"]
        guard
            !email.contains(where: {
                forbidden.contains($0) || $0.isNewline || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true
            })
        else { return nil }
        return email
    }
}
