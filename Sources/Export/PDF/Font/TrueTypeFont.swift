import Foundation

/// A parsed TrueType (`glyf`-outline) font: the metrics a PDF needs, Unicode → glyph lookup, glyph
/// advances, and the raw tables the subsetter copies. Immutable and `Sendable`, so one parsed font can
/// serve every render.
///
/// Parsing reads `head`, `hhea`, `hmtx`, `maxp`, `loca` and `glyf` (required), and `cmap`, `OS/2`
/// and `post` when present. Every read is bounds-checked: a malformed file throws a `FontError`.
public struct TrueTypeFont: Sendable {
    /// The PostScript-ish name used as `/BaseFont` (from `name` id 6, else the file's base name).
    public let postScriptName: String
    public let unitsPerEm: Int
    /// xMin, yMin, xMax, yMax in font units.
    public let boundingBox: (Int, Int, Int, Int)
    public let ascent: Int
    public let descent: Int
    public let capHeight: Int
    /// Degrees counter-clockwise from vertical (negative for a right-leaning italic).
    public let italicAngle: Double
    /// `head.macStyle` bit 0.
    public let isBold: Bool
    public let glyphCount: Int

    /// Advance width per glyph id, in font units.
    let advances: [UInt16]
    /// Left side bearing per glyph id, in font units.
    let sideBearings: [Int16]
    let characterMap: [UInt32: UInt16]
    /// Byte range of each glyph in `glyf` (from `loca`), `glyphCount` entries.
    let glyphRanges: [Range<Int>]
    /// Every table's bytes by tag, for the subsetter.
    let tables: [String: FontBytes]

    /// Parses `bytes` as a TrueType font.
    /// - Parameter name: used for `postScriptName` when the font has no `name` entry for it.
    public init(bytes: [UInt8], name fallbackName: String = "Font") throws(FontError) {
        let file = FontBytes(bytes)
        let version = try file.u32(0)
        guard version == 0x0001_0000 || version == 0x7472_7565 else {  // 1.0 or 'true'
            throw .unsupported("font signature 0x\(String(version, radix: 16)) (only TrueType outlines)")
        }
        var tables: [String: FontBytes] = [:]
        for i in 0..<Int(try file.u16(4)) {
            let record = 12 + i * 16
            let tag = String(decoding: try file.copy(record, 4), as: UTF8.self)
            let offset = Int(try file.u32(record + 8))
            let length = Int(try file.u32(record + 12))
            tables[tag] = try file.slice(offset, length, name: tag)
        }
        func required(_ tag: String) throws(FontError) -> FontBytes {
            guard let table = tables[tag] else { throw .missingTable(tag) }
            return table
        }
        let head = try required("head")
        let hhea = try required("hhea")
        let maxp = try required("maxp")
        let hmtx = try required("hmtx")
        let loca = try required("loca")
        let glyf = try required("glyf")

        unitsPerEm = Int(try head.u16(18))
        guard (16...16384).contains(unitsPerEm) else { throw .invalid("head.unitsPerEm \(unitsPerEm)") }
        boundingBox = (
            Int(try head.i16(36)), Int(try head.i16(38)), Int(try head.i16(40)), Int(try head.i16(42))
        )
        isBold = try head.u16(44) & 1 != 0
        let longLoca = try head.i16(50) == 1

        glyphCount = Int(try maxp.u16(4))
        guard glyphCount > 0 else { throw .invalid("maxp.numGlyphs 0") }

        // Vertical metrics: OS/2 typo values when present (what layout engines use), else hhea.
        var ascent = Int(try hhea.i16(4))
        var descent = Int(try hhea.i16(6))
        var capHeight = ascent * 7 / 10
        if let os2 = tables["OS/2"], os2.count >= 78 {
            ascent = Int(try os2.i16(68))
            descent = Int(try os2.i16(70))
            if try os2.u16(0) >= 2, os2.count >= 90 { capHeight = Int(try os2.i16(88)) }
        }
        self.ascent = ascent
        self.descent = descent
        self.capHeight = capHeight
        if let post = tables["post"], post.count >= 8 {
            italicAngle = Double(try post.i32(4)) / 65536
        } else {
            italicAngle = 0
        }

        let metricCount = Int(try hhea.u16(34))
        guard metricCount > 0, metricCount <= glyphCount else { throw .invalid("hhea.numberOfHMetrics") }
        var advances: [UInt16] = []
        var bearings: [Int16] = []
        advances.reserveCapacity(glyphCount)
        for g in 0..<glyphCount {
            // Glyphs past numberOfHMetrics repeat the last advance and store only their bearing.
            if g < metricCount {
                advances.append(try hmtx.u16(g * 4))
                bearings.append(try hmtx.i16(g * 4 + 2))
            } else {
                advances.append(advances[metricCount - 1])
                bearings.append(try hmtx.i16(metricCount * 4 + (g - metricCount) * 2))
            }
        }
        self.advances = advances
        self.sideBearings = bearings

        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(glyphCount)
        var previous = longLoca ? Int(try loca.u32(0)) : Int(try loca.u16(0)) * 2
        for g in 1...glyphCount {
            let next = longLoca ? Int(try loca.u32(g * 4)) : Int(try loca.u16(g * 2)) * 2
            guard previous <= next, next <= glyf.count else { throw .invalid("loca entry \(g)") }
            ranges.append(previous..<next)
            previous = next
        }
        self.glyphRanges = ranges
        // No cmap (a subset made for a PDF) is valid: such a font is addressed by glyph id only.
        if let cmap = tables["cmap"] {
            self.characterMap = try CharacterMap.parse(cmap, numGlyphs: glyphCount)
        } else {
            self.characterMap = [:]
        }
        self.tables = tables
        self.postScriptName = Self.postScriptName(tables["name"]) ?? fallbackName
    }

    /// Loads and parses the font file at `path`.
    public init(contentsOf path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        try self.init(bytes: [UInt8](data), name: base)
    }

    /// The glyph for a Unicode scalar, or nil when the font does not cover it.
    public func glyph(for scalar: Unicode.Scalar) -> UInt16? {
        characterMap[scalar.value]
    }

    /// The advance of `glyph` in font units (0 for an id outside the font).
    public func advance(of glyph: UInt16) -> Int {
        Int(glyph) < advances.count ? Int(advances[Int(glyph)]) : 0
    }

    /// The `name` table's PostScript name (id 6), Windows Unicode or Mac Roman record; nil if absent.
    private static func postScriptName(_ table: FontBytes?) -> String? {
        guard let table, let count = try? table.u16(2), let storage = try? table.u16(4) else { return nil }
        for i in 0..<Int(count) {
            let record = 6 + i * 12
            guard let platform = try? table.u16(record), let nameID = try? table.u16(record + 6),
                let length = try? table.u16(record + 8), let offset = try? table.u16(record + 10),
                nameID == 6,
                let raw = try? table.copy(Int(storage) + Int(offset), Int(length))
            else { continue }
            let text: String
            if platform == 3 || platform == 0 {
                let units = stride(from: 0, to: raw.count - 1, by: 2).map {
                    UInt16(raw[$0]) << 8 | UInt16(raw[$0 + 1])
                }
                text = String(decoding: units, as: UTF16.self)
            } else {
                text = String(decoding: raw, as: UTF8.self)
            }
            // A PDF name must stay plain: keep only the characters PostScript names allow.
            let clean = String(
                String.UnicodeScalarView(
                    text.unicodeScalars.filter {
                        $0.isASCII && ($0.properties.isAlphabetic || $0 == "-" || ("0"..."9").contains($0))
                    }))
            if !clean.isEmpty { return clean }
        }
        return nil
    }
}
