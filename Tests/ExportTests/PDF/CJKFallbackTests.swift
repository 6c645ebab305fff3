import Foundation
import Testing

@testable import Export

/// Characters DejaVu Sans lacks (CJK) are drawn with the bundled Droid Sans Fallback: read back by
/// poppler and pypdf, embedded only when used, wrapped between ideographs.
@Suite struct CJKFallbackTests {
    static let date = Date(timeIntervalSince1970: 1_780_000_000)
    static let cjkTitle = "伏見稲荷大社"
    static let cjkItem = "錦市場で朝ごはん"
    static let mixedNote = "Meet Kenji at 京都駅 (Hachijō exit), then Ελληνικά и русский текст: 清水寺まで歩く"
    static let longTitle = String(repeating: "伏見稲荷大社と京都の古い寺院を巡る旅、", count: 4) + "東京へ"

    static func latinDays() -> [ItineraryPDF.Day] {
        [
            ItineraryPDF.Day(
                date: "Day 1 · 2026-04-02",
                items: [
                    ItineraryPDF.Item(
                        time: "09:30–11:45", title: "Old town walk", place: "Praça do Comércio",
                        notes: "Meet at the arch.", cost: "€ 12,00"),
                    ItineraryPDF.Item(time: "13:00", title: "Lunch", place: "Time Out Market"),
                ], total: "€ 12,00")
        ]
    }

    static func cjkDays() -> [ItineraryPDF.Day] {
        [
            ItineraryPDF.Day(
                date: "Day 1 · 2026-04-02",
                items: [
                    ItineraryPDF.Item(
                        time: "09:30–11:45", title: cjkItem, place: "京都市中京区", notes: mixedNote, cost: "¥ 3,000"),
                    ItineraryPDF.Item(time: "13:00", title: "Lunch at Nishiki", place: "Kyoto"),
                ], total: "¥ 3,000")
        ]
    }

    static func render(title: String, days: [ItineraryPDF.Day], name: String) throws -> (path: String, bytes: [UInt8]) {
        let sink = PDFMemorySink()
        try ItineraryPDF.render(
            title: title, subtitle: "Spring", days: days, fonts: try PDFFixtures.loadedFonts(),
            fallback: try BundledFonts.sharedFallback(), creationDate: date, to: sink)
        // Kept for a human look (the samples the report describes).
        try FileManager.default.createDirectory(atPath: "/tmp/cjk-sample", withIntermediateDirectories: true)
        try Data(sink.bytes).write(to: URL(fileURLWithPath: "/tmp/cjk-sample/\(name)"))
        return (try PDFFixtures.temporaryFile(sink.bytes, name: name), sink.bytes)
    }

    /// pdffonts rows (after its two header lines).
    static func fontRows(_ path: String) throws -> [Substring] {
        Array(try PDFFixtures.run("/usr/bin/pdffonts", [path]).split(separator: "\n").dropFirst(2))
    }

    @Test func theFallbackFontParses() throws {
        let font = try BundledFonts.sharedFallback()
        #expect(font.glyphCount > 40_000)
        // Han, hiragana, katakana, CJK punctuation (Droid Sans Fallback has no Hangul syllables).
        for scalar in "伏見稲荷大社錦で朝ごはんカタカナ、。".unicodeScalars {
            #expect(font.glyph(for: scalar) != nil, "no glyph for \(scalar)")
        }
        let dejaVu = try PDFFixtures.loadedFonts().regular
        #expect(dejaVu.glyph(for: "伏") == nil)
    }

    @Test func cjkTextIsExtractedIntactAndEmbedsTheFallbackSubset() throws {
        let (path, bytes) = try Self.render(title: Self.cjkTitle, days: Self.cjkDays(), name: "cjk.pdf")
        let plain = try PDFFixtures.pdftotext(path, layout: false).joined(separator: "\n")
        let layout = try PDFFixtures.pdftotext(path, layout: true).joined(separator: "\n")
        let pypdf = try PDFFixtures.pypdfPages(path).joined(separator: "\n")
        for (reader, text) in [("pdftotext", plain), ("pdftotext -layout", layout), ("pypdf", pypdf)] {
            for expected in [Self.cjkTitle, Self.cjkItem, "京都市中京区", "¥ 3,000"] {
                #expect(text.contains(expected), "\(reader) lost \(expected)")
            }
            #expect(PDFFixtures.collapsed(text).contains(Self.mixedNote), "\(reader) lost the mixed note")
        }
        let rows = try Self.fontRows(path)
        #expect(rows.count == 3, "\(rows)")
        let droid = rows.filter { $0.contains("DroidSansFallback") }
        #expect(droid.count == 1, "\(rows)")
        for row in droid {
            #expect(row.contains("CID TrueType") && row.contains("Identity-H") && row.contains("yes yes yes"), "\(row)")
            // A subset: the six-letter tag.
            #expect(row.range(of: #"^[A-Z]{6}\+DroidSansFallback"#, options: .regularExpression) != nil, "\(row)")
        }
        // The 4 MB font is subset: a few dozen glyphs, not the whole file.
        #expect(bytes.count < 120_000, "PDF is \(bytes.count) bytes")
        #expect(try PDFWriterTests.checkCrossReferences(bytes) > 10)
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/qpdf") {
            let check = try PDFFixtures.run("/usr/bin/qpdf", ["--check", path])
            #expect(check.contains("No syntax or stream encoding errors"), "\(check)")
        }
    }

    @Test func aLatinOnlyDocumentDoesNotEmbedTheFallback() throws {
        let (path, bytes) = try Self.render(title: "Lisboa in spring", days: Self.latinDays(), name: "latin.pdf")
        let rows = try Self.fontRows(path)
        #expect(rows.count == 2, "\(rows)")
        #expect(!rows.contains { $0.contains("Droid") }, "\(rows)")
        #expect(!bytes.contains(Array("F3".utf8)), "no F3 resource")
        // Identical to a render without any fallback font.
        let sink = PDFMemorySink()
        try ItineraryPDF.render(
            title: "Lisboa in spring", subtitle: "Spring", days: Self.latinDays(), fonts: try PDFFixtures.loadedFonts(),
            creationDate: Self.date, to: sink)
        #expect(sink.bytes == bytes)
    }

    @Test func aTimeRangeStaysOnOneLine() throws {
        for (name, days) in [("latin-time.pdf", Self.latinDays()), ("cjk-time.pdf", Self.cjkDays())] {
            let (path, _) = try Self.render(title: "Times", days: days, name: name)
            let layout = try PDFFixtures.pdftotext(path, layout: true).joined(separator: "\n")
            #expect(layout.contains("09:30–11:45"), "\(name): \(layout)")
        }
    }

    /// A CJK title has no spaces: it must still wrap, with every word box inside the right margin.
    @Test func aLongCJKTitleWrapsInsideTheMargins() throws {
        let (path, _) = try Self.render(title: Self.longTitle, days: Self.cjkDays(), name: "cjk-long.pdf")
        let plain = try PDFFixtures.pdftotext(path, layout: false)
        #expect(plain.count == 2, "cover and one day")
        #expect(plain[0].split(whereSeparator: \.isWhitespace).joined().contains(Self.longTitle))

        let html = try PDFFixtures.run("/usr/bin/pdftotext", ["-bbox", "-f", "1", "-l", "1", path, "-"])
        let word = try Regex(#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#)
        var titleLines: Set<Int> = []
        let right = PDFDocument.pageWidth - PDFDocument.margin
        for match in html.matches(of: word) {
            let yMax = Double(match.output[4].substring ?? "") ?? 0
            let xMax = Double(match.output[3].substring ?? "") ?? 0
            let text = String(match.output[5].substring ?? "")
            // The footer repeats the title on one line, cut short with "…" before the page number.
            #expect(xMax <= right + 1, "\(text) ends at \(xMax)")
            guard yMax < PDFDocument.pageHeight - 60 else { continue }
            if text.unicodeScalars.contains(where: { $0.value >= 0x3000 }), text.contains("伏") || text.contains("寺") {
                titleLines.insert(Int(yMax.rounded()))
            }
        }
        #expect(titleLines.count > 1, "the title should wrap: \(titleLines)")
    }

    @Test func lineBreakerBreaksBetweenCJKCharacters() {
        let monospace = LineBreaker { Double($0.count) }
        // No line starts with the long-vowel mark ー.
        #expect(monospace.lines("東京タワーに行く", width: 3) == ["東京タ", "ワーに", "行く"])
        #expect(monospace.lines("Visit 京都駅 today", width: 8) == ["Visit 京都", "駅 today"])
        // Latin words still break only at spaces.
        #expect(monospace.lines("the quick brown", width: 10) == ["the quick", "brown"])
    }

    /// Page 1 of the CJK sample as PNG, and its title area must have ink (real glyphs, checked by eye
    /// in the report; boxes would also have ink, so this only guards against a blank render).
    @Test func cjkSampleRendersToPNG() throws {
        let (path, _) = try Self.render(title: Self.cjkTitle, days: Self.cjkDays(), name: "cjk.pdf")
        _ = try PDFFixtures.run(
            "/usr/bin/pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", "2", path, "/tmp/cjk-sample/cjk"])
        let png = try Data(contentsOf: URL(fileURLWithPath: "/tmp/cjk-sample/cjk-1.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}
