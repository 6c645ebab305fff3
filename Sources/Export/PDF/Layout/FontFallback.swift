/// Which font draws each character: the primary font (regular or bold) when it has a glyph for it, else
/// the fallback font when that one has it (CJK in Droid Sans Fallback), else the primary font again
/// (drawn as its `.notdef`, still mapped back to the character by ToUnicode).
///
/// Measuring and drawing both go through `segments`, so widths used for line breaking are exactly the
/// advances drawn. One fallback serves both weights.
struct FontFallback {
    let regular: TrueTypeFont
    let bold: TrueTypeFont
    let fallback: TrueTypeFont?

    /// A maximal piece of text drawn in one font.
    struct Segment: Equatable {
        var text: String
        var usesFallback: Bool
    }

    /// Whether `scalar` is drawn with the fallback font in text of this weight.
    func usesFallback(_ scalar: Unicode.Scalar, bold isBold: Bool) -> Bool {
        guard let fallback else { return false }
        let primary = isBold ? bold : regular
        return primary.glyph(for: scalar) == nil && fallback.glyph(for: scalar) != nil
    }

    /// `text` split into runs by font, in order; joined they give `text` back.
    func segments(_ text: String, bold isBold: Bool) -> [Segment] {
        var out: [Segment] = []
        var current = String.UnicodeScalarView()
        var currentUsesFallback = false
        for scalar in text.unicodeScalars {
            let fallback = usesFallback(scalar, bold: isBold)
            if fallback != currentUsesFallback, !current.isEmpty {
                out.append(Segment(text: String(current), usesFallback: currentUsesFallback))
                current = String.UnicodeScalarView()
            }
            currentUsesFallback = fallback
            current.append(scalar)
        }
        if !current.isEmpty { out.append(Segment(text: String(current), usesFallback: currentUsesFallback)) }
        return out
    }

    /// The advance of `text` at `size` points, each character in the font that draws it.
    func width(of text: String, bold isBold: Bool, size: Double) -> Double {
        let primary = isBold ? bold : regular
        var width = 0.0
        for scalar in PDFEmbeddedFont.drawable(text) {
            if let glyph = primary.glyph(for: scalar) {
                width += Double(primary.advance(of: glyph)) / Double(primary.unitsPerEm)
            } else if let fallback, let glyph = fallback.glyph(for: scalar) {
                width += Double(fallback.advance(of: glyph)) / Double(fallback.unitsPerEm)
            } else {
                width += Double(primary.advance(of: 0)) / Double(primary.unitsPerEm)
            }
        }
        return width * size
    }

    /// Whether any character of `text` needs the fallback font (in either weight).
    static func needsFallback(_ text: String, regular: TrueTypeFont, bold: TrueTypeFont) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory != .control
                && (regular.glyph(for: scalar) == nil || bold.glyph(for: scalar) == nil)
        }
    }
}
