/// Builds a smaller TrueType file holding only the glyphs a document draws.
///
/// Choice: glyph ids are kept as they are (so a PDF can use `/CIDToGIDMap /Identity` and CIDs equal
/// glyph ids); unused glyphs keep a `loca` entry but have an empty outline and zero metrics, which
/// costs a few bytes per glyph before deflate and almost nothing after. `extraNotdefs` glyphs are
/// appended as copies of `.notdef`: each character the font lacks gets its own id, so the PDF's
/// ToUnicode map can still tell the reader which character it was.
///
/// Kept tables: `head` (long `loca`, new checksum), `hhea`, `maxp`, `hmtx`, `loca`, `glyf`, and the
/// hinting tables `cvt `, `fpgm`, `prep` when present. `cmap` is dropped: a CID font is addressed
/// by glyph id.
struct FontSubsetter {
    let font: TrueTypeFont

    /// The subset font's bytes.
    /// - Parameters:
    ///   - used: the glyph ids drawn; `.notdef` and composite components are added.
    ///   - extraNotdefs: how many `.notdef` copies to append after the font's last glyph.
    func subset(used: Set<UInt16>, extraNotdefs: Int = 0) throws(FontError) -> [UInt8] {
        guard let glyf = font.tables["glyf"] else { throw .missingTable("glyf") }
        let keep = try closure(of: used.union([0]), glyf: glyf)
        let total = font.glyphCount + extraNotdefs
        guard total <= 0xFFFF else { throw .invalid("too many glyphs for a subset") }

        var glyphData: [UInt8] = []
        var offsets: [UInt32] = [0]
        var metrics: [UInt8] = []
        for g in 0..<total {
            let source = g < font.glyphCount ? g : 0
            if g >= font.glyphCount || keep.contains(UInt16(g)) {
                let range = font.glyphRanges[source]
                glyphData += try glyf.copy(range.lowerBound, range.count)
                // 4-byte alignment of every glyph, as the spec recommends.
                while glyphData.count % 4 != 0 { glyphData.append(0) }
                metrics.appendBig(UInt16(font.advance(of: UInt16(source))))
                metrics.appendBig(UInt16(bitPattern: font.sideBearings[source]))
            } else {
                metrics += [0, 0, 0, 0]
            }
            offsets.append(UInt32(glyphData.count))
        }
        var loca: [UInt8] = []
        for offset in offsets { loca.appendBig(offset) }

        var tables: [String: [UInt8]] = [:]
        guard var head = font.tables["head"]?.all, head.count >= 54 else { throw .missingTable("head") }
        head.replaceBig(at: 8, UInt32(0))  // checkSumAdjustment, filled in last
        head.replaceBig(at: 50, UInt16(1))  // indexToLocFormat: long offsets
        tables["head"] = head
        guard var hhea = font.tables["hhea"]?.all, hhea.count >= 36 else { throw .missingTable("hhea") }
        hhea.replaceBig(at: 34, UInt16(total))  // every glyph has its own long metric now
        tables["hhea"] = hhea
        guard var maxp = font.tables["maxp"]?.all, maxp.count >= 6 else { throw .missingTable("maxp") }
        maxp.replaceBig(at: 4, UInt16(total))
        tables["maxp"] = maxp
        tables["hmtx"] = metrics
        tables["loca"] = loca
        tables["glyf"] = glyphData
        for tag in ["cvt ", "fpgm", "prep"] {
            if let table = font.tables[tag] { tables[tag] = table.all }
        }
        return Self.assemble(tables)
    }

    /// `used` plus every glyph a composite glyph among them refers to, transitively.
    private func closure(of used: Set<UInt16>, glyf: FontBytes) throws(FontError) -> Set<UInt16> {
        var keep: Set<UInt16> = []
        var pending = Array(used.filter { Int($0) < font.glyphCount })
        while let g = pending.popLast() {
            guard keep.insert(g).inserted else { continue }
            let range = font.glyphRanges[Int(g)]
            guard range.count >= 10, try glyf.i16(range.lowerBound) < 0 else { continue }
            // Composite: a list of component records after the 10-byte header.
            var at = range.lowerBound + 10
            while true {
                guard at + 4 <= range.upperBound else { throw .invalid("composite glyph \(g)") }
                let flags = try glyf.u16(at)
                let component = try glyf.u16(at + 2)
                guard Int(component) < font.glyphCount else { throw .invalid("component of glyph \(g)") }
                pending.append(component)
                at += 4 + (flags & 0x0001 != 0 ? 4 : 2)
                if flags & 0x0008 != 0 {
                    at += 2
                } else if flags & 0x0040 != 0 {
                    at += 4
                } else if flags & 0x0080 != 0 {
                    at += 8
                }
                if flags & 0x0020 == 0 { break }
            }
        }
        return keep
    }

    /// A complete sfnt file from `tables`: directory sorted by tag, 4-byte padded tables,
    /// per-table checksums and `head.checkSumAdjustment`.
    static func assemble(_ tables: [String: [UInt8]]) -> [UInt8] {
        let tags = tables.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var power = 1
        var log = 0
        while power * 2 <= tags.count {
            power *= 2
            log += 1
        }
        var out: [UInt8] = []
        out.appendBig(UInt32(0x0001_0000))
        out.appendBig(UInt16(tags.count))
        out.appendBig(UInt16(power * 16))
        out.appendBig(UInt16(log))
        out.appendBig(UInt16(tags.count * 16 - power * 16))
        var offset = 12 + tags.count * 16
        var headOffset = 0
        for tag in tags {
            let table = tables[tag] ?? []
            out += Array(tag.utf8.prefix(4))
            out.appendBig(checksum(table))
            out.appendBig(UInt32(offset))
            out.appendBig(UInt32(table.count))
            if tag == "head" { headOffset = offset }
            offset += (table.count + 3) & ~3
        }
        for tag in tags {
            out += tables[tag] ?? []
            while out.count % 4 != 0 { out.append(0) }
        }
        out.replaceBig(at: headOffset + 8, 0xB1B0_AFBA &- checksum(out))
        return out
    }

    /// The sfnt checksum: the sum of big-endian 32-bit words, zero-padded.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0
        var i = 0
        while i < bytes.count {
            var word: UInt32 = 0
            for k in 0..<4 { word = word << 8 | UInt32(i + k < bytes.count ? bytes[i + k] : 0) }
            sum = sum &+ word
            i += 4
        }
        return sum
    }
}

extension [UInt8] {
    /// Appends `value` big-endian.
    mutating func appendBig<T: FixedWidthInteger>(_ value: T) {
        for shift in stride(from: T.bitWidth - 8, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    /// Overwrites bytes at `offset` with `value` big-endian (the caller guarantees the room).
    mutating func replaceBig<T: FixedWidthInteger>(at offset: Int, _ value: T) {
        for (i, shift) in stride(from: T.bitWidth - 8, through: 0, by: -8).enumerated() {
            self[offset + i] = UInt8(truncatingIfNeeded: value >> shift)
        }
    }
}
