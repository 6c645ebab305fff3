import Testing

@testable import Export

/// What the XML reader reports for well-formed input: events, names, attributes, decoded text and
/// the line each event starts on.
@Suite struct XMLReaderTests {
    /// The events as compact strings: `+name(attr=value)@line`, `-name@line`, `"text"@line`.
    static func events(_ xml: String) throws -> [String] {
        var reader = XMLReader(Array(xml.utf8))
        var out: [String] = []
        while let e = try reader.next() {
            switch e.kind {
            case .start(let name, let attributes):
                let a = attributes.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                out.append("+\(name)(\(a))@\(e.line)")
            case .end(let name): out.append("-\(name)@\(e.line)")
            case .text(let t): if !t.allSatisfy(\.isWhitespace) { out.append("\"\(t)\"@\(e.line)") }
            case .cdata(let t): out.append("cdata\"\(t)\"@\(e.line)")
            }
        }
        return out
    }

    @Test func elementsAttributesAndLines() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <a x="1" y='two'>
              <b/>
              <c
                 z="3">text</c>
            </a>
            """
        #expect(
            try Self.events(xml) == [
                "+a(x=1,y=two)@3", "+b()@4", "-b@4", "+c(z=3)@5", "\"text\"@6", "-c@6", "-a@7",
            ])
    }

    @Test func referencesAreDecodedInTextAndAttributes() throws {
        let xml = #"<r a="&lt;&gt;&amp;&quot;&apos;&#65;&#x42;">x &lt; y &amp;&amp; &#233;&#x1F600;</r>"#
        #expect(try Self.events(xml) == [#"+r(a=<>&"'AB)@1"#, "\"x < y && é😀\"@1", "-r@1"])
    }

    @Test func cdataIsVerbatimAndCommentsAndInstructionsAreSkipped() throws {
        let xml = "<r><?pi data?><!-- <not> &a; --><![CDATA[<b>&amp;</b>]]></r>"
        #expect(try Self.events(xml) == ["+r()@1", "cdata\"<b>&amp;</b>\"@1", "-r@1"])
    }

    @Test func namespacePrefixesAreSplitOff() throws {
        var reader = XMLReader(Array(#"<kml:kml xmlns:kml="urn:x" kml:id="7"><kml:Point/></kml:kml>"#.utf8))
        guard case .start(let root, let attributes) = try reader.next()?.kind else {
            Issue.record("no start")
            return
        }
        #expect(root.prefix == "kml" && root.local == "kml" && root.qualified == "kml:kml")
        #expect(attributes.value("id") == "7")
        guard case .start(let point, _) = try reader.next()?.kind else {
            Issue.record("no child")
            return
        }
        #expect(point.local == "Point")
    }

    @Test func lineBreaksAreNormalisedAndCounted() throws {
        let xml = "<r a=\"1\r\n2\">\r\none\rtwo\r\n<b/></r>"
        #expect(try Self.events(xml) == ["+r(a=1 2)@1", "\"\none\ntwo\n\"@2", "+b()@5", "-b@5", "-r@5"])
    }

    @Test func byteOrderMarkAndTrailingMiscAreAccepted() throws {
        let xml = "\u{FEFF}<?xml version='1.0'?>\n<r/>\n<!-- done -->\n<?pi?>\n"
        #expect(try Self.events(xml) == ["+r()@2", "-r@2"])
    }

    @Test func multibyteTextAndNames() throws {
        #expect(try Self.events("<ñame café=\"☕\">東京</ñame>") == ["+ñame(café=☕)@1", "\"東京\"@1", "-ñame@1"])
    }

    @Test func depthUpToTheLimitIsAccepted() throws {
        let depth = ImportLimits.maximumXMLDepth
        let xml = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        #expect(try Self.events(xml).count == 2 * depth)
    }
}
