/// One TrueType font as used by one PDF document: it turns text into glyph ids for content streams,
/// remembers which glyphs and characters were drawn, and at the end writes the subset font as a
/// `Type0` font over a `CIDFontType2` (`/Identity-H`, CID = glyph id) with a `/ToUnicode` map.
///
/// Characters the font lacks (CJK in DejaVu) are drawn as `.notdef` boxes, but each gets its own
/// appended glyph id so ToUnicode still maps it back: text extraction and search see the real text.
/// No shaping: one glyph per Unicode scalar, no kerning, no bidi reordering.
public final class PDFEmbeddedFont {
    public let font: TrueTypeFont
    /// The name under `/Resources /Font` (e.g. `F1`).
    public let resourceName: String
    /// The `Type0` font dictionary pages refer to; written by `writeObjects`.
    public let id: PDFObjectID

    /// Glyph ids drawn so far (always `.notdef`).
    private(set) var used: Set<UInt16> = [0]
    /// The character each drawn glyph stands for (the first one seen, if several share a glyph).
    private(set) var unicode: [UInt16: String] = [:]
    /// Characters the font lacks → the appended `.notdef` copy standing for each.
    private(set) var missing: [UInt32: UInt16] = [:]

    public init(_ font: TrueTypeFont, resourceName: String, writer: PDFWriter) {
        self.font = font
        self.resourceName = resourceName
        self.id = writer.reserve()
    }

    /// The glyph ids that draw `text`, recording them for the subset and ToUnicode.
    public func encode(_ text: String) -> [UInt16] {
        var glyphs: [UInt16] = []
        for scalar in Self.drawable(text) {
            let glyph: UInt16
            if let g = font.glyph(for: scalar) {
                glyph = g
            } else if let g = missing[scalar.value] {
                glyph = g
            } else {
                // Past 0xFFFF ids there is no room left: fall back to the shared .notdef.
                let next = font.glyphCount + missing.count
                glyph = next <= 0xFFFE ? UInt16(next) : 0
                if glyph != 0 { missing[scalar.value] = glyph }
            }
            used.insert(glyph)
            if unicode[glyph] == nil, glyph != 0 { unicode[glyph] = String(scalar) }
            glyphs.append(glyph)
        }
        return glyphs
    }

    /// The advance of `text` at `size` points, as `encode` would draw it.
    public func width(of text: String, size: Double) -> Double {
        var units = 0
        for scalar in Self.drawable(text) { units += font.advance(of: font.glyph(for: scalar) ?? 0) }
        return Double(units) * size / Double(font.unitsPerEm)
    }

    /// Text as drawn: tabs become spaces, other control characters are dropped.
    static func drawable(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.compactMap { scalar in
            if scalar == "\t" { return " " }
            return scalar.properties.generalCategory == .control ? nil : scalar
        }
    }

    /// Six capital letters derived from the glyph set: the PDF convention marking a subset font.
    func subsetTag() -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for glyph in used.sorted() {
            hash = (hash ^ UInt64(glyph)) &* 0x100_0000_01b3
        }
        var tag = ""
        for _ in 0..<6 {
            tag.append(Character(Unicode.Scalar(UInt8(65 + hash % 26))))
            hash /= 26
        }
        return tag
    }
}
