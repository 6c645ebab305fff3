/// Reads a `cmap` table into a Unicode scalar → glyph id dictionary. Formats 4 (BMP segments) and 12
/// (full Unicode groups) cover every Unicode font in practice; format 12 entries win when both exist.
enum CharacterMap {
    /// The largest number of mappings accepted: more than Unicode has code points means a corrupt
    /// table (a hostile group range would otherwise allocate without bound).
    static let maxMappings = 0x110000

    static func parse(_ table: FontBytes, numGlyphs: Int) throws(FontError) -> [UInt32: UInt16] {
        let subtableCount = Int(try table.u16(2))
        var format4: Int?
        var format12: Int?
        for i in 0..<subtableCount {
            let record = 4 + i * 8
            let platform = try table.u16(record)
            let encoding = try table.u16(record + 2)
            let offset = Int(try table.u32(record + 4))
            // Unicode subtables only: platform 0 (any), or Windows (3) BMP (1) / full (10).
            guard platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10)) else { continue }
            switch try table.u16(offset) {
            case 4: format4 = format4 ?? offset
            case 12: format12 = format12 ?? offset
            default: continue
            }
        }
        var map: [UInt32: UInt16] = [:]
        if let format4 { try readFormat4(table, at: format4, numGlyphs: numGlyphs, into: &map) }
        if let format12 { try readFormat12(table, at: format12, numGlyphs: numGlyphs, into: &map) }
        guard !map.isEmpty else { throw .invalid("cmap: no Unicode subtable of format 4 or 12") }
        return map
    }

    private static func readFormat4(
        _ table: FontBytes, at start: Int, numGlyphs: Int, into map: inout [UInt32: UInt16]
    ) throws(FontError) {
        let segments = Int(try table.u16(start + 6)) / 2
        let ends = start + 14
        let starts = ends + segments * 2 + 2
        let deltas = starts + segments * 2
        let rangeOffsets = deltas + segments * 2
        var total = 0
        for s in 0..<segments {
            let end = UInt32(try table.u16(ends + s * 2))
            let first = UInt32(try table.u16(starts + s * 2))
            let delta = UInt32(try table.u16(deltas + s * 2))
            let rangeOffsetAt = rangeOffsets + s * 2
            let rangeOffset = Int(try table.u16(rangeOffsetAt))
            guard first <= end, first != 0xFFFF else { continue }
            // Overlapping full-range segments would otherwise mean billions of iterations.
            total += Int(end - first) + 1
            guard total <= maxMappings else { throw .invalid("cmap: too many mappings") }
            for code in first...end {
                var glyph: UInt32
                if rangeOffset == 0 {
                    glyph = (code &+ delta) & 0xFFFF
                } else {
                    // The offset is relative to where it is stored itself (the format's own trick).
                    let at = rangeOffsetAt + rangeOffset + Int(code - first) * 2
                    glyph = UInt32(try table.u16(at))
                    if glyph != 0 { glyph = (glyph &+ delta) & 0xFFFF }
                }
                if glyph != 0, glyph < numGlyphs { map[code] = UInt16(glyph) }
            }
        }
    }

    private static func readFormat12(
        _ table: FontBytes, at start: Int, numGlyphs: Int, into map: inout [UInt32: UInt16]
    ) throws(FontError) {
        let groups = Int(try table.u32(start + 12))
        try table.check(start + 16, groups * 12)
        var total = 0
        for g in 0..<groups {
            let record = start + 16 + g * 12
            let first = try table.u32(record)
            let last = try table.u32(record + 4)
            let glyph = try table.u32(record + 8)
            guard first <= last, last < 0x110000 else { throw .invalid("cmap: group \(g) range") }
            total += Int(last - first) + 1
            guard total <= maxMappings else { throw .invalid("cmap: too many mappings") }
            for code in first...last {
                let id = glyph + (code - first)
                if id != 0, id < numGlyphs { map[code] = UInt16(id) }
            }
        }
    }
}
