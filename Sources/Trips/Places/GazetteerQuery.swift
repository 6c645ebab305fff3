import Foundation

/// A parsed search query: the folded name key and an optional region filter.
///
/// "Lisbon, PT" and "Portland, OR" carry a trailing two-letter code after the last comma; it
/// filters on the country code or, for countries with letter codes such as US states, the admin-1
/// code. Any other text after the last comma ("Washington, D.C.", "Porto, Portugal") is ignored
/// rather than folded into the name, which would match nothing.
struct GazetteerQuery: Equatable {
    var key: [UInt8]
    /// Upper-case two-letter country or admin-1 code, or nil.
    var regionCode: String?

    init(_ text: String) {
        guard let comma = text.lastIndex(of: ",") else {
            self.key = SearchKeyFolding.key(text)
            self.regionCode = nil
            return
        }
        let tail = text[text.index(after: comma)...].trimmingCharacters(in: .whitespacesAndNewlines)
        let isCode = tail.utf8.count == 2 && tail.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic }
        self.key = SearchKeyFolding.key(String(text[..<comma]))
        self.regionCode = isCode ? tail.uppercased() : nil
    }

    func admits(_ place: GazetteerPlace) -> Bool {
        guard let regionCode else { return true }
        return place.countryCode == regionCode || place.admin1 == regionCode
    }
}
