import Testing

@testable import Export

/// The text rules every importer applies, so a parsed file is one Trips will store.
@Suite struct ImportTextTests {
    @Test func namesAreOneTrimmedLineWithoutControls() {
        #expect(ImportText.name("  Torre\n\tde \u{7F}Belém\r\n ") == "Torre de Belém")
        #expect(ImportText.name(" \n ") == nil)
        #expect(ImportText.name(String(repeating: "🇵🇹", count: 250))?.count == ImportLimits.maximumNameLength)
    }

    @Test func notesKeepLineBreaksAsLF() {
        #expect(ImportText.notes("\r\n a\r\nb\rc\u{0}\td \n") == "a\nb\nc\td")
        #expect(ImportText.notes(String(repeating: "x", count: 20_000))?.count == ImportLimits.maximumNotesLength)
    }

    @Test func onlyHTTPLinksAreKept() {
        #expect(ImportText.url(" https://example.com/a?b=c ") == "https://example.com/a?b=c")
        #expect(ImportText.url("HTTP://EXAMPLE.COM") == "HTTP://EXAMPLE.COM")
        for bad in ["javascript:alert(1)", "ftp://example.com", "https://", "https://a b", "/relative", ""] {
            #expect(ImportText.url(bad) == nil, "\(bad)")
        }
        #expect(ImportText.url("https://e.com/" + String(repeating: "a", count: ImportLimits.maximumURLLength)) == nil)
    }

    @Test func errorDescriptions() {
        #expect(
            ImportError(line: 7, element: "<wpt>", "lat \"91.5\" is out of range").description
                == "line 7, <wpt>: lat \"91.5\" is out of range")
        #expect(ImportError(line: 3, "x").description == "line 3: x")
        #expect(ImportError(line: nil, "too big").description == "too big")
    }
}
