/// The PDF objects of an embedded font (PDF 1.7 §9.7 composite fonts, §9.9 embedded font programs,
/// §9.10.3 ToUnicode).
extension PDFEmbeddedFont {
    /// Writes the font dictionary, descendant CID font, descriptor, subset font file and ToUnicode.
    /// Call once, after the last `encode`.
    public func writeObjects(to writer: PDFWriter) throws {
        let descendant = writer.reserve()
        let descriptor = writer.reserve()
        let file = writer.reserve()
        let toUnicode = writer.reserve()
        let name = "/\(subsetTag())+\(font.postScriptName)"
        let scale = 1000 / Double(font.unitsPerEm)
        func units(_ value: Int) -> String { PDFSyntax.number((Double(value) * scale).rounded()) }

        try writer.write(
            id,
            "<< /Type /Font /Subtype /Type0 /BaseFont \(name) /Encoding /Identity-H"
                + " /DescendantFonts [\(descendant)] /ToUnicode \(toUnicode) >>")
        try writer.write(
            descendant,
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont \(name)"
                + " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                + " /FontDescriptor \(descriptor) /DW \(units(font.advance(of: 0)))"
                + " /W \(widthsArray()) /CIDToGIDMap /Identity >>")
        let box = font.boundingBox
        // Flags: 4 = Symbolic (glyphs outside the standard Latin set), + 262144 ForceBold for bold.
        let flags = 4 + (font.isBold ? 262_144 : 0)
        try writer.write(
            descriptor,
            "<< /Type /FontDescriptor /FontName \(name) /Flags \(flags)"
                + " /FontBBox [\(units(box.0)) \(units(box.1)) \(units(box.2)) \(units(box.3))]"
                + " /ItalicAngle \(PDFSyntax.number(font.italicAngle)) /Ascent \(units(font.ascent))"
                + " /Descent \(units(font.descent)) /CapHeight \(units(font.capHeight))"
                + " /StemV \(font.isBold ? 140 : 80) /FontFile2 \(file) >>")
        let program = try FontSubsetter(font: font).subset(used: used, extraNotdefs: missing.count)
        try writer.writeStream(file, "/Length1 \(program.count)", data: program)
        try writer.writeStream(toUnicode, data: Array(toUnicodeCMap().utf8))
    }

    /// `/W`: runs of consecutive glyph ids with their advances, `[first [w1 w2 …] …]`, in 1/1000 em.
    func widthsArray() -> String {
        let scale = 1000 / Double(font.unitsPerEm)
        var parts: [String] = []
        var run: [UInt16] = []
        func flush() {
            guard let first = run.first else { return }
            let widths = run.map { glyph in
                let source = Int(glyph) < font.glyphCount ? glyph : 0
                return PDFSyntax.number((Double(font.advance(of: source)) * scale).rounded())
            }
            parts.append("\(first) [\(widths.joined(separator: " "))]")
            run = []
        }
        for glyph in used.sorted() {
            if let last = run.last, glyph != last + 1 { flush() }
            run.append(glyph)
        }
        flush()
        return "[" + parts.joined(separator: " ") + "]"
    }

    /// The ToUnicode CMap: glyph id → UTF-16BE of the character it was drawn for.
    func toUnicodeCMap() -> String {
        var text = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        let entries = unicode.sorted { $0.key < $1.key }
        // A bfchar block holds at most 100 entries (PDF 1.7 §9.10.3 via the CMap specification).
        for start in stride(from: 0, to: entries.count, by: 100) {
            let block = entries[start..<min(start + 100, entries.count)]
            text += "\(block.count) beginbfchar\n"
            for (glyph, string) in block {
                let utf16 = string.utf16.map(PDFSyntax.hex4).joined()
                text += "<\(PDFSyntax.hex4(glyph))> <\(utf16)>\n"
            }
            text += "endbfchar\n"
        }
        text += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return text
    }
}
