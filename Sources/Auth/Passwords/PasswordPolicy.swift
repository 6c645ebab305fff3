/// What a new password must be (NIST SP 800-63B §5.1.1.2): 8–256 characters, not one of the most
/// common passwords, and nothing else — no composition rules, which only push people to `Password1!`.
enum PasswordPolicy {
    static let lengths = 8...256

    /// nil when acceptable, else the reason (for the `errors` list of a 400).
    static func problem(with password: String) -> String? {
        guard lengths.contains(password.count) else {
            return "must be \(lengths.lowerBound) to \(lengths.upperBound) characters"
        }
        if CommonPasswords.contains(password) { return "is too common; choose a less guessable password" }
        return nil
    }
}
