import Foundation

/// A display name: 1–100 characters after trimming, no control characters (they would corrupt
/// e-mails, logs and PDFs).
enum DisplayName {
    static let maximumLength = 100

    static func normalize(_ text: String) -> String? {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximumLength).contains(name.count),
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return name
    }
}
