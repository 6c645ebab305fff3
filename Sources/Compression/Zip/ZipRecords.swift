/// The byte layouts of APPNOTE 6.3.x records this writer emits, all little-endian. Each function appends
/// one record to a caller-owned buffer, so the writer can reuse one allocation for every header.
enum ZipRecords {
    static let localFileHeaderSignature: UInt32 = 0x0403_4b50
    static let dataDescriptorSignature: UInt32 = 0x0807_4b50
    static let centralDirectoryHeaderSignature: UInt32 = 0x0201_4b50
    static let zip64EndOfCentralDirectorySignature: UInt32 = 0x0606_4b50
    static let zip64EndOfCentralDirectoryLocatorSignature: UInt32 = 0x0706_4b50
    static let endOfCentralDirectorySignature: UInt32 = 0x0605_4b50

    /// Bit 3: CRC and sizes follow the data in a data descriptor (we do not know them in advance).
    static let flagDataDescriptor: UInt16 = 1 << 3
    /// Bit 11: the name is UTF-8 (otherwise readers assume IBM code page 437).
    static let flagUTF8: UInt16 = 1 << 11

    static let zip64ExtraTag: UInt16 = 0x0001
    /// The value a 16- or 32-bit field holds when the real one is in a ZIP64 record.
    static let marker16: UInt16 = 0xFFFF
    static let marker32: UInt32 = 0xFFFF_FFFF

    /// Version needed to extract: 1.0 plain stored data, 2.0 deflate, 4.5 ZIP64 (APPNOTE 4.4.3.2).
    static let versionStore: UInt16 = 10
    static let versionDeflate: UInt16 = 20
    static let versionZip64: UInt16 = 45
    /// Version made by: high byte 3 = Unix, so readers apply the mode in the external attributes;
    /// low byte 4.5, the newest feature (ZIP64) this writer produces.
    static let versionMadeBy: UInt16 = 3 << 8 | 45
    /// A regular file, rw-r--r--, in the high 16 bits as Unix-made archives store st_mode.
    static let externalAttributesRegularFile: UInt32 = 0o100644 << 16

    /// What the local header announces; everything else is known only after the data.
    struct LocalHeader {
        var versionNeeded: UInt16
        var flags: UInt16
        var method: UInt16
        var time: DOSDateTime
        var name: [UInt8]
        /// Announce ZIP64 up front: sizes 0xFFFFFFFF pointing at a ZIP64 extra field with both sizes
        /// (zero: unknown yet, bit 3), which tells streaming readers the descriptor has 8-byte sizes.
        var zip64: Bool
    }

    static func appendLocalHeader(_ header: LocalHeader, to out: inout [UInt8]) {
        out.appendLE(localFileHeaderSignature)
        out.appendLE(header.versionNeeded)
        out.appendLE(header.flags)
        out.appendLE(header.method)
        out.appendLE(header.time.time)
        out.appendLE(header.time.date)
        out.appendLE(UInt32(0))  // CRC-32: in the data descriptor
        let size: UInt32 = header.zip64 ? marker32 : 0
        out.appendLE(size)  // compressed size
        out.appendLE(size)  // uncompressed size
        out.appendLE(UInt16(header.name.count))
        out.appendLE(UInt16(header.zip64 ? 20 : 0))
        out.append(contentsOf: header.name)
        if header.zip64 {
            out.appendLE(zip64ExtraTag)
            out.appendLE(UInt16(16))
            out.appendLE(UInt64(0))  // uncompressed size
            out.appendLE(UInt64(0))  // compressed size
        }
    }

    /// With the optional signature, which every current reader expects; 8-byte sizes when `zip64`.
    static func appendDataDescriptor(
        crc: UInt32, compressedSize: UInt64, uncompressedSize: UInt64, zip64: Bool, to out: inout [UInt8]
    ) {
        out.appendLE(dataDescriptorSignature)
        out.appendLE(crc)
        if zip64 {
            out.appendLE(compressedSize)
            out.appendLE(uncompressedSize)
        } else {
            out.appendLE(UInt32(truncatingIfNeeded: compressedSize))
            out.appendLE(UInt32(truncatingIfNeeded: uncompressedSize))
        }
    }

    /// One central directory entry: what the writer keeps in memory per entry until `finish`.
    struct CentralEntry {
        var local: LocalHeader
        var crc: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var offset: UInt64
    }

    /// `threshold` is the smallest value that needs ZIP64 (0xFFFFFFFF; lowered by tests). Only the fields
    /// that overflow go into the ZIP64 extra, in the order APPNOTE 4.5.3 fixes.
    static func appendCentralHeader(_ entry: CentralEntry, threshold: UInt64, to out: inout [UInt8]) {
        var extra: [UInt64] = []
        func field(_ value: UInt64) -> UInt32 {
            guard value < threshold, value < UInt64(marker32) else {
                extra.append(value)
                return marker32
            }
            return UInt32(value)
        }
        let uncompressed = field(entry.uncompressedSize)
        let compressed = field(entry.compressedSize)
        let offset = field(entry.offset)
        let zip64 = entry.local.zip64 || !extra.isEmpty

        out.appendLE(centralDirectoryHeaderSignature)
        out.appendLE(versionMadeBy)
        out.appendLE(zip64 ? versionZip64 : entry.local.versionNeeded)
        out.appendLE(entry.local.flags)
        out.appendLE(entry.local.method)
        out.appendLE(entry.local.time.time)
        out.appendLE(entry.local.time.date)
        out.appendLE(entry.crc)
        out.appendLE(compressed)
        out.appendLE(uncompressed)
        out.appendLE(UInt16(entry.local.name.count))
        out.appendLE(UInt16(extra.isEmpty ? 0 : 4 + 8 * extra.count))
        out.appendLE(UInt16(0))  // comment length
        out.appendLE(UInt16(0))  // disk number start
        out.appendLE(UInt16(0))  // internal attributes
        out.appendLE(externalAttributesRegularFile)
        out.appendLE(offset)
        out.append(contentsOf: entry.local.name)
        if !extra.isEmpty {
            out.appendLE(zip64ExtraTag)
            out.appendLE(UInt16(8 * extra.count))
            for value in extra { out.appendLE(value) }
        }
    }

    /// The ZIP64 end of central directory record and its locator; `at` is where the record starts.
    static func appendZip64End(
        entries: UInt64, directorySize: UInt64, directoryOffset: UInt64, at recordOffset: UInt64,
        to out: inout [UInt8]
    ) {
        out.appendLE(zip64EndOfCentralDirectorySignature)
        out.appendLE(UInt64(44))  // size of the rest of this record
        out.appendLE(versionMadeBy)
        out.appendLE(versionZip64)
        out.appendLE(UInt32(0))  // this disk
        out.appendLE(UInt32(0))  // disk where the central directory starts
        out.appendLE(entries)  // on this disk
        out.appendLE(entries)  // in total
        out.appendLE(directorySize)
        out.appendLE(directoryOffset)

        out.appendLE(zip64EndOfCentralDirectoryLocatorSignature)
        out.appendLE(UInt32(0))  // disk with the ZIP64 end record
        out.appendLE(recordOffset)
        out.appendLE(UInt32(1))  // total disks
    }

    /// The classic end record; fields that overflow hold their marker and the ZIP64 record has them.
    static func appendEnd(entries: UInt16, directorySize: UInt32, directoryOffset: UInt32, to out: inout [UInt8]) {
        out.appendLE(endOfCentralDirectorySignature)
        out.appendLE(UInt16(0))  // this disk
        out.appendLE(UInt16(0))  // disk where the central directory starts
        out.appendLE(entries)  // on this disk
        out.appendLE(entries)  // in total
        out.appendLE(directorySize)
        out.appendLE(directoryOffset)
        out.appendLE(UInt16(0))  // comment length
    }
}

extension [UInt8] {
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        var little = value.littleEndian
        Swift.withUnsafeBytes(of: &little) { append(contentsOf: $0) }
    }
}
