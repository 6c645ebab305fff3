import Foundation
import Testing

@testable import Export

/// Renders a long multi-day itinerary and reads it back with poppler and pypdf, which know nothing of
/// our code: if they find every title intact, the fonts, ToUnicode maps and file structure are right.
@Suite struct ItineraryPDFTests {
    static let special = [
        "Café à Lisboa", "Ελληνικό μουσείο", "Музей", "Zürich Hbf → München", "€ 12,50", "東京タワー",
    ]
    static let longWord =
        "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
        + "Kapitänsmützenabzeichenherstellungsgenehmigung"
    static let longNote =
        "Meet the guide at the north entrance; tickets are prepaid and the confirmation is in the shared "
        + "folder. Bring water, a hat and comfortable shoes, the walk takes about three hours with one "
        + "stop for lunch at the market hall (cash only, €€). If it rains, the tour moves to the museum."

    /// 12 days × 25 items = 300 items; titles unique, short enough for one line of the title column.
    static func days() -> [ItineraryPDF.Day] {
        (1...12).map { day in
            let items = (1...25).map { n -> ItineraryPDF.Item in
                let index = (day - 1) * 25 + n
                let title = index <= special.count ? special[index - 1] : "Stop \(index) — Übersicht"
                var notes: String?
                if index == 7 { notes = longWord }
                if index % 9 == 0 { notes = longNote }
                return ItineraryPDF.Item(
                    time: String(format: "%02d:%02d", 7 + n / 2, (n % 2) * 30), title: title,
                    place: n % 3 == 0 ? "Praça do Comércio, 1100-148 Lisboa, Portugal" : "Zürich HB",
                    notes: notes, cost: n % 4 == 0 ? "€ \(n),50" : nil)
            }
            return ItineraryPDF.Day(date: "Day \(day) · 2026-07-\(10 + day)", items: items, total: "€ \(day * 37),00")
        }
    }

    static func render() throws -> (bytes: [UInt8], pages: Int) {
        let sink = PDFMemorySink()
        let pages = try ItineraryPDF.render(
            title: "Portugal & Schweiz — Sommer 2026", subtitle: "Lisboa → Zürich → München, 12 Tage",
            days: days(), fonts: try PDFFixtures.loadedFonts(),
            creationDate: Date(timeIntervalSince1970: 1_780_000_000),
            to: sink)
        return (sink.bytes, pages)
    }

    @Test func everyTitleSurvivesInPdftotextAndPypdf() throws {
        let (bytes, pageCount) = try Self.render()
        let path = try PDFFixtures.temporaryFile(bytes, name: "itinerary.pdf")
        let titles = Self.days().flatMap { $0.items.map(\.title) }
        #expect(titles.count == 300)

        let layoutText = try PDFFixtures.pdftotext(path, layout: true).joined(separator: "\n")
        let pypdfText = try PDFFixtures.pypdfPages(path).joined(separator: "\n")
        for title in titles {
            #expect(layoutText.contains(title), "pdftotext -layout lost \(title)")
            #expect(pypdfText.contains(title), "pypdf lost \(title)")
        }
        #expect(layoutText.contains("Day total"))
        #expect(layoutText.contains("€ 444,00"))  // day 12's total

        // Wrapped text comes back whole once line breaks are ignored.
        let plain = try PDFFixtures.pdftotext(path, layout: false).joined(separator: "\n")
        #expect(PDFFixtures.collapsed(plain).contains(Self.longNote))
        #expect(plain.split(whereSeparator: \.isWhitespace).joined().contains(Self.longWord))
        #expect(!plain.contains(Self.longWord), "the long word should have been cut across lines")
        #expect(pageCount > 1)
    }

    @Test func footersCountPagesConsistently() throws {
        let (bytes, pageCount) = try Self.render()
        let path = try PDFFixtures.temporaryFile(bytes, name: "itinerary.pdf")
        let footer = try Regex(#"Page (\d+) of\s*(\d+)"#)
        for (reader, pages) in [
            ("pdftotext", try PDFFixtures.pdftotext(path, layout: true)), ("pypdf", try PDFFixtures.pypdfPages(path)),
        ] {
            #expect(pages.count == pageCount, "\(reader) page count")
            for (index, page) in pages.enumerated() {
                let match = try #require(page.firstMatch(of: footer), "\(reader): no footer on page \(index + 1)")
                #expect(match.output[1].substring.map(String.init) == String(index + 1), "\(reader) page \(index + 1)")
                #expect(match.output[2].substring.map(String.init) == String(pageCount), "\(reader) page \(index + 1)")
            }
        }
        let info = PDFFixtures.collapsed(try PDFFixtures.run("/usr/bin/pdfinfo", [path]))
        #expect(info.contains("Pages: \(pageCount)"))
        #expect(info.contains("Title: Portugal & Schweiz — Sommer 2026"))
    }

    @Test func fontsAreEmbeddedSubsetsWithUnicodeMapsAndTheFileIsSmall() throws {
        let (bytes, _) = try Self.render()
        let path = try PDFFixtures.temporaryFile(bytes, name: "itinerary.pdf")
        let fonts = try PDFFixtures.run("/usr/bin/pdffonts", [path])
        let rows = fonts.split(separator: "\n").dropFirst(2)
        // DejaVu Sans, DejaVu Sans Bold, and Droid Sans Fallback for "東京タワー".
        #expect(rows.count == 3)
        #expect(rows.filter { $0.contains("DroidSansFallback") }.count == 1, "\(rows)")
        for row in rows {
            // name, type "CID TrueType", encoding Identity-H, emb/sub/uni all yes.
            #expect(row.contains("CID TrueType") && row.contains("Identity-H"), "\(row)")
            #expect(row.hasSuffix("yes yes yes ") || row.contains("yes yes yes"), "\(row)")
        }
        // Two 700 KB fonts embedded whole would be > 600 KB deflated; subsets keep the file small.
        #expect(bytes.count < 200_000, "PDF is \(bytes.count) bytes")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/qpdf") {
            let check = try PDFFixtures.run("/usr/bin/qpdf", ["--check", path])
            #expect(check.contains("No syntax or stream encoding errors"), "\(check)")
        }
        #expect(try PDFWriterTests.checkCrossReferences(bytes) > 10)
    }

    /// A heading never ends a page: whatever space is left above it, it lands on the page of the
    /// paragraph after it. Filler counts sweep the heading across the bottom of the first page.
    @Test func aHeadingIsNeverLeftAtTheBottomOfAPage() throws {
        let fonts = try PDFFixtures.loadedFonts()
        var headingMovedToTheNextPage = false
        for filler in 50...62 {
            let sink = PDFMemorySink()
            let document = try PDFDocument(sink: sink, title: "t", regular: fonts.regular, bold: fonts.bold)
            for n in 0..<filler { try document.add(.paragraph("Filler line \(n)")) }
            try document.add(.heading("HEADING", level: 1))
            try document.add(.paragraph("FOLLOWER"))
            try document.finish()
            let path = try PDFFixtures.temporaryFile(sink.bytes, name: "headings.pdf")
            let pages = try PDFFixtures.pdftotext(path, layout: false)
            let headingPage = pages.firstIndex { $0.contains("HEADING") }
            #expect(
                headingPage != nil && headingPage == pages.firstIndex { $0.contains("FOLLOWER") }, "filler \(filler)")
            if headingPage == 1, pages[0].contains("Filler line \(filler - 1)") { headingMovedToTheNextPage = true }
        }
        // Otherwise the sweep never reached the bottom of the page and proved nothing.
        #expect(headingMovedToTheNextPage)
    }

    /// Renders page 1 to /tmp/pdf-preview for a human look (the report describes it).
    @Test func firstPageRendersToPNG() throws {
        let (bytes, _) = try Self.render()
        let path = try PDFFixtures.temporaryFile(bytes, name: "itinerary.pdf")
        try FileManager.default.createDirectory(atPath: "/tmp/pdf-preview", withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: "/tmp/pdf-preview/itinerary.pdf")
        try FileManager.default.copyItem(atPath: path, toPath: "/tmp/pdf-preview/itinerary.pdf")
        for (first, name) in [(1, "cover"), (2, "day1")] {
            _ = try PDFFixtures.run(
                "/usr/bin/pdftoppm",
                [
                    "-png", "-r", "60", "-f", "\(first)", "-l", "\(first)", "-singlefile", path,
                    "/tmp/pdf-preview/\(name)",
                ])
            let png = try Data(contentsOf: URL(fileURLWithPath: "/tmp/pdf-preview/\(name).png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(png.count > 5_000, "a blank page would compress to almost nothing")
        }
    }
}
