/// A page's content stream as it is drawn (PDF 1.7 §8–9 operators). Text is always shown as a hex
/// string of 2-byte glyph ids, so no user text can break the stream's syntax.
struct PDFContent {
    private(set) var bytes: [UInt8] = []

    /// Text at baseline origin (`x`, `y`) in `font` at `size` points, `gray` 0 (black) … 1.
    mutating func text(_ glyphs: [UInt16], font: PDFEmbeddedFont, size: Double, gray: Double, x: Double, y: Double) {
        guard !glyphs.isEmpty else { return }
        let hex = glyphs.map(PDFSyntax.hex4).joined()
        let n = PDFSyntax.number
        append(
            "BT /\(font.resourceName) \(n(size)) Tf \(n(gray)) g 1 0 0 1 \(n(x)) \(n(y)) Tm <\(hex)> Tj ET\n")
    }

    /// A horizontal line from `x1` to `x2` at height `y`.
    mutating func rule(from x1: Double, to x2: Double, y: Double, gray: Double) {
        let n = PDFSyntax.number
        append("q \(n(gray)) G 0.5 w \(n(x1)) \(n(y)) m \(n(x2)) \(n(y)) l S Q\n")
    }

    /// Draws the form XObject named `name` with its origin at (`x`, `y`).
    mutating func form(_ name: String, x: Double, y: Double) {
        let n = PDFSyntax.number
        append("q 1 0 0 1 \(n(x)) \(n(y)) cm /\(name) Do Q\n")
    }

    private mutating func append(_ text: String) {
        bytes += Array(text.utf8)
    }
}
