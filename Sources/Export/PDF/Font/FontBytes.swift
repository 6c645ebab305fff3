/// Big-endian reads from a slice of a font file, each one bounds-checked: font data comes from a file
/// and a wrong offset in it must become a `FontError`, not an out-of-range trap.
struct FontBytes: Sendable {
    let bytes: [UInt8]
    /// Where this view starts in `bytes`, and how many bytes it may read.
    let base: Int
    let count: Int
    /// The table name used in error messages.
    let name: String

    init(_ bytes: [UInt8], name: String = "file") {
        self.bytes = bytes
        self.base = 0
        self.count = bytes.count
        self.name = name
    }

    private init(bytes: [UInt8], base: Int, count: Int, name: String) {
        self.bytes = bytes
        self.base = base
        self.count = count
        self.name = name
    }

    /// A sub-view of `length` bytes at `offset`; throws when it does not lie inside this view.
    func slice(_ offset: Int, _ length: Int, name: String) throws(FontError) -> FontBytes {
        try check(offset, length)
        return FontBytes(bytes: bytes, base: base + offset, count: length, name: name)
    }

    func check(_ offset: Int, _ length: Int) throws(FontError) {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else {
            throw .truncated(table: name, offset: offset)
        }
    }

    func u8(_ offset: Int) throws(FontError) -> UInt8 {
        try check(offset, 1)
        return bytes[base + offset]
    }

    func u16(_ offset: Int) throws(FontError) -> UInt16 {
        try check(offset, 2)
        return UInt16(bytes[base + offset]) << 8 | UInt16(bytes[base + offset + 1])
    }

    func i16(_ offset: Int) throws(FontError) -> Int16 {
        Int16(bitPattern: try u16(offset))
    }

    func u32(_ offset: Int) throws(FontError) -> UInt32 {
        try check(offset, 4)
        var value: UInt32 = 0
        for i in 0..<4 { value = value << 8 | UInt32(bytes[base + offset + i]) }
        return value
    }

    func i32(_ offset: Int) throws(FontError) -> Int32 {
        Int32(bitPattern: try u32(offset))
    }

    /// A copy of `length` bytes at `offset`.
    func copy(_ offset: Int, _ length: Int) throws(FontError) -> [UInt8] {
        try check(offset, length)
        return Array(bytes[(base + offset)..<(base + offset + length)])
    }

    /// The whole view as bytes.
    var all: [UInt8] { Array(bytes[base..<(base + count)]) }
}
