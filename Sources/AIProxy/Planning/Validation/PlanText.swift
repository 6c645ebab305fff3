import Foundation

/// Case- and diacritic-insensitive text matching for must-includes, avoids and interests.
enum PlanText {
    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// True when `needle` (non-blank) occurs in any of `haystacks`.
    static func contains(_ haystacks: [String?], _ needle: String) -> Bool {
        let n = folded(needle)
        guard !n.isEmpty else { return false }
        return haystacks.contains { $0.map { folded($0).contains(n) } ?? false }
    }

    static func equal(_ a: String, _ b: String) -> Bool { folded(a) == folded(b) }
}
