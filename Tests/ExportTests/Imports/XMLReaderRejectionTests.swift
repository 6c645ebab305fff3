import Testing

@testable import Export

/// Everything the XML reader must refuse, each with the line it happened on.
@Suite struct XMLReaderRejectionTests {
    static func error(_ xml: String) -> ImportError? { error(Array(xml.utf8)) }

    static func error(_ bytes: [UInt8]) -> ImportError? {
        var reader = XMLReader(bytes)
        do {
            while try reader.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    @Test func billionLaughsIsRefusedAtTheDoctype() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            ]>
            <lolz>&lol3;</lolz>
            """
        let e = try #require(Self.error(xml))
        #expect(e.line == 2)
        #expect(e.message.contains("DOCTYPE is not accepted"))
    }

    @Test func externalEntityDoctypeIsRefused() throws {
        let xml = "<!doctype gpx SYSTEM \"file:///etc/passwd\"><gpx>&xxe;</gpx>"
        #expect(Self.error(xml)?.message.contains("DOCTYPE") == true)
    }

    @Test func unknownEntity() throws {
        let e = try #require(Self.error("<r>\n<name>caf&eacute;</name></r>"))
        #expect(e.line == 2)
        #expect(e.message.contains("unknown entity &eacute;"))
        #expect(Self.error("<r>fish & chips</r>")?.message.contains("&amp;") == true)
        #expect(Self.error("<r>&#0;</r>")?.message.contains("&#0; is not a valid character reference") == true)
        #expect(Self.error("<r>&#xD800;</r>") != nil)
        #expect(Self.error("<r>&#x110000;</r>") != nil)
        #expect(Self.error("<r a='&bogus;'/>") != nil)
    }

    @Test func mismatchedTagNamesBothAndTheLine() throws {
        let xml = """
            <gpx>
              <wpt lat="1" lon="2">
                <name>Lisbon
              </wpt>
            </gpx>
            """
        let e = try #require(Self.error(xml))
        #expect(e.line == 4)
        #expect(e.description == "line 4: </wpt> closes <name> (opened on line 3)")
    }

    @Test func unclosedAndUnopenedTags() throws {
        let unclosed = try #require(Self.error("<gpx>\n<wpt>\n"))
        #expect(unclosed.line == 3)
        #expect(unclosed.message.contains("</wpt>"))
        #expect(Self.error("<r></r></x>")?.message.contains("</x> has no matching start tag") == true)
        #expect(Self.error("<r><a></r>") != nil)
    }

    @Test func multipleRootsAndTextOutsideTheRoot() throws {
        let two = try #require(Self.error("<a/>\n<b/>"))
        #expect(two.line == 2 && two.element == "<b>" && two.message.contains("second root"))
        #expect(Self.error("hello <r/>")?.message.contains("before the root") == true)
        #expect(Self.error("<r/> trailing")?.message.contains("after the root") == true)
        #expect(Self.error("{\"json\": true}") != nil)
        #expect(Self.error("")?.message == "the file has no root element")
        #expect(Self.error("  \n <!-- only -->")?.message == "the file has no root element")
        #expect(Self.error("<![CDATA[x]]><r/>")?.message.contains("CDATA") == true)
    }

    @Test func invalidUTF8() throws {
        // A lone continuation byte, an overlong "/", a UTF-16 surrogate, a truncated sequence.
        for bad: [UInt8] in [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82]] {
            let bytes = Array("<r>\nok ".utf8) + bad + Array(" </r>".utf8)
            let e = try #require(Self.error(bytes))
            #expect(e.line == 2)
            #expect(e.message == "the file is not valid UTF-8")
        }
        #expect(Self.error([0xFF, 0xFE, 0x3C, 0x00])?.message.contains("UTF-16") == true)
        #expect(Self.error("<?xml version='1.0' encoding='ISO-8859-1'?><r/>")?.message.contains("ISO-8859-1") == true)
    }

    @Test func controlCharacters() throws {
        let nul = try #require(Self.error(Array("<r>\n\na".utf8) + [0x00] + Array("</r>".utf8)))
        #expect(nul.line == 3)
        #expect(nul.message.contains("U+0000"))
        #expect(Self.error("<r a='\u{1B}'/>")?.message.contains("U+001B") == true)
        #expect(Self.error("<r>\u{FFFE}</r>")?.message.contains("U+FFFE") == true)
        #expect(Self.error("<r>\t\u{7F}\u{85}</r>") == nil)  // allowed by XML 1.0
    }

    @Test func duplicateAttributes() throws {
        let e = try #require(Self.error("<r>\n<wpt lat=\"1\" lon=\"2\" lat=\"3\"/></r>"))
        #expect(e.line == 2 && e.element == "<wpt>")
        #expect(e.message == "the attribute lat appears twice")
    }

    @Test func nestingPastTheLimit() throws {
        let depth = ImportLimits.maximumXMLDepth + 1
        let xml = String(repeating: "<a>\n", count: depth) + String(repeating: "</a>", count: depth)
        let e = try #require(Self.error(xml))
        #expect(e.line == depth)
        #expect(e.message.contains("nested more than \(ImportLimits.maximumXMLDepth) deep"))
    }

    @Test func malformedMarkup() throws {
        for xml in [
            "<r a=1/>", "<r a/>", "<r a='1'b='2'/>", "<r a='1/>", "<r a='<'/>", "<r>]]></r>", "<r><!-- a -- b --></r>",
            "<r><!ENTITY x 'y'></r>", "<r>< b/></r>", "<r><!-- open", "<r/><?xml version='1.0'?>", "<a:b:c/>", "<:a/>",
            "<r", "<r></r", "<r><![CDATA[x</r>", "<r><?pi",
        ] {
            #expect(Self.error(xml) != nil, "\(xml)")
        }
    }
}
