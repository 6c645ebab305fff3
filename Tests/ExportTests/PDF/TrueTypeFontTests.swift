import Foundation
import Testing

@testable import Export

@Suite struct TrueTypeFontTests {
    @Test func cmapFindsKnownCodePoints() throws {
        let font = try PDFFixtures.loadedFonts().regular
        // Glyph ids of DejaVu Sans 2.37 (checked with an independent reading of the cmap).
        #expect(font.glyph(for: "A") == 36)
        #expect(font.glyph(for: " ") == 3)
        #expect(font.glyph(for: "é") == 171)
        #expect(font.glyph(for: "€") == 2948)
        #expect(font.glyph(for: "Ε") == 811)  // Greek capital epsilon
        #expect(font.glyph(for: "М") == 945)  // Cyrillic capital em
        #expect(font.glyph(for: "→") == 3101)
        #expect(font.glyph(for: "東") == nil)  // DejaVu has no CJK
    }

    @Test func metricsMatchDejaVu() throws {
        let font = try PDFFixtures.loadedFonts().regular
        #expect(font.unitsPerEm == 2048)
        #expect(font.advance(of: 36) == 1401)  // "A"
        #expect(font.advance(of: 3) == 651)  // space
        #expect(font.postScriptName == "DejaVuSans")
        #expect(try PDFFixtures.loadedFonts().bold.isBold)
        // 10 pt "AA" is 2 × 1401 / 2048 × 10 points.
        let embedded = PDFEmbeddedFont(font, resourceName: "F1", writer: try PDFWriter(sink: PDFMemorySink()))
        #expect(abs(embedded.width(of: "AA", size: 10) - 2 * 1401 * 10 / 2048.0) < 1e-9)
    }

    @Test func truncatedOrGarbageFontsThrow() throws {
        let path = try BundledFonts.locate(BundledFonts.regularFile)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for length in [0, 3, 11, 12, 100, 400, 50_000, bytes.count / 2, bytes.count - 1] {
            #expect(throws: FontError.self, "truncated at \(length)") {
                try TrueTypeFont(bytes: Array(bytes.prefix(length)))
            }
        }
        #expect(throws: FontError.self) { try TrueTypeFont(bytes: Array("OTTO not a truetype font".utf8)) }
        // A table directory entry pointing past the end of the file.
        var corrupt = bytes
        corrupt.replaceBig(at: 12 + 8, UInt32(0xFFFF_FF00))
        #expect(throws: FontError.self) { try TrueTypeFont(bytes: corrupt) }
    }

    /// Single-byte corruptions across the directory and the start of each table: every parse either
    /// throws or yields a font whose subset can be built; none may trap (a trap kills the test run).
    @Test func corruptedBytesNeverCrash() throws {
        let path = try BundledFonts.locate(BundledFonts.regularFile)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let font = try PDFFixtures.loadedFonts().regular
        // Kept to ~150 parses: each costs tens of milliseconds in a debug build.
        var positions = Array(stride(from: 0, to: 12 + 16 * 24, by: 11))
        for table in font.tables.values { positions += [0, 2, 4, 6, 12, 34, 50].map { table.base + $0 } }
        var thrown = 0
        for position in positions where position < bytes.count {
            var corrupt = bytes
            corrupt[position] = position % 2 == 0 ? 0xFF : 0x00
            do {
                let parsed = try TrueTypeFont(bytes: corrupt)
                _ = try FontSubsetter(font: parsed).subset(used: [36, 171, 2948])
            } catch {
                thrown += 1
            }
        }
        #expect(thrown > 0)
    }

    @Test func subsetKeepsUsedGlyphsAndIdsAndIsAValidFont() throws {
        let font = try PDFFixtures.loadedFonts().regular
        let subset = try FontSubsetter(font: font).subset(used: [36, 171], extraNotdefs: 2)
        // loca and hmtx keep an entry per original glyph (ids are kept), which deflate squeezes away.
        #expect(try PDFDeflate.compress(subset).count < 6_000)
        // The whole-file checksum with head.checkSumAdjustment is the sfnt magic.
        #expect(FontSubsetter.checksum(subset) == 0xB1B0_AFBA)
        let parsed = try TrueTypeFont(bytes: subset)
        #expect(parsed.glyphCount == font.glyphCount + 2)
        #expect(parsed.glyphRanges[36].count == font.glyphRanges[36].count)
        #expect(parsed.advance(of: 36) == 1401)
        #expect(parsed.glyphRanges[37].isEmpty)  // "B" was not used: no outline
        #expect(!parsed.glyphRanges[0].isEmpty)  // .notdef always kept
        #expect(parsed.glyphRanges[font.glyphCount + 1].count == font.glyphRanges[0].count)
        // "é" is a composite in DejaVu: its components (e and the accent) come along.
        let glyf = try #require(font.tables["glyf"])
        #expect(try glyf.i16(font.glyphRanges[171].lowerBound) < 0)
        let nonEmpty = (0..<font.glyphCount).filter { !parsed.glyphRanges[$0].isEmpty }
        #expect(nonEmpty.count > 3)
        #expect(nonEmpty.contains(Int(try #require(font.glyph(for: "e")))))
    }
}
