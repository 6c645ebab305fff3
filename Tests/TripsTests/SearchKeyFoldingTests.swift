import Testing

@testable import Trips

@Suite struct SearchKeyFoldingTests {
    private func key(_ text: String) -> String {
        String(decoding: SearchKeyFolding.key(text), as: UTF8.self)
    }

    @Test(arguments: [
        ("São Paulo", "sao paulo"), ("Zürich", "zurich"), ("Kraków", "krakow"), ("  NEW   york ", "new york"),
        ("Saint-Denis", "saint denis"), ("Xi’an", "xian"), ("Xi'an", "xian"), ("St. Louis", "st louis"),
        ("Łódź", "lodz"), ("Straße", "strasse"), ("Ærøskøbing", "aeroskobing"),
        ("Thành phố Hồ Chí Minh", "thanh pho ho chi minh"),
        ("Reykjavík", "reykjavik"), ("İstanbul", "istanbul"), ("Gəncə", "gence"), ("Cañon City", "canon city"),
        ("e\u{0301}cole", "ecole"), ("Москва", "москва"), ("...", ""), ("", ""),
    ])
    func folds(_ input: String, _ expected: String) {
        #expect(key(input) == expected)
    }

    @Test func invalidUTF8ActsAsAWordBreak() {
        let bytes: [UInt8] = [UInt8(ascii: "a"), 0xC3, UInt8(ascii: "b"), 0xFF, 0xE2, 0x82]
        var key: [UInt8] = []
        bytes.withUnsafeBufferPointer { SearchKeyFolding.appendKey(of: $0, to: &key) }
        #expect(String(decoding: key, as: UTF8.self) == "a b")
    }
}
