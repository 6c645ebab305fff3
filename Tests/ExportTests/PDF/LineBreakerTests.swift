import Testing

@testable import Export

@Suite struct LineBreakerTests {
    /// Every character one unit wide, so expected breaks can be counted by hand.
    let monospace = LineBreaker { Double($0.count) }

    @Test func wrapsAtTheLastSpaceThatFits() {
        #expect(
            monospace.lines("the quick brown fox jumps over the lazy dog", width: 10) == [
                "the quick", "brown fox", "jumps over", "the lazy", "dog",
            ])
    }

    @Test func cutsAWordLongerThanTheLine() {
        #expect(
            monospace.lines("ab abcdefghijklmnopqrstuvwxyz c", width: 10) == [
                "ab", "abcdefghij", "klmnopqrst", "uvwxyz c",
            ])
    }

    @Test func keepsHardBreaksAndEmptyText() {
        #expect(monospace.lines("one\ntwo three", width: 20) == ["one", "two three"])
        #expect(monospace.lines("", width: 20) == [""])
    }

    @Test func realAdvancesKeepEveryLineWithinTheWidth() throws {
        let font = try PDFFixtures.loadedFonts().regular
        let embedded = PDFEmbeddedFont(font, resourceName: "F1", writer: try PDFWriter(sink: PDFMemorySink()))
        let breaker = LineBreaker { embedded.width(of: $0, size: 10) }
        let text = "Ελληνικό μουσείο και Café à Lisboa: Zürich Hbf → München, € 12,50 por pessoa, Музей"
        let lines = breaker.lines(text, width: 120)
        #expect(lines.count > 2)
        for line in lines { #expect(embedded.width(of: line, size: 10) <= 120) }
        #expect(lines.joined(separator: " ") == text)
        // At 10 pt (advances read independently with Python from hmtx): "Ελληνικό μουσείο και" is
        // 107.21 pt, with " Café" 133.17 pt, so the first break falls after "και".
        #expect(lines.first == "Ελληνικό μουσείο και")
    }
}
