import Compression
import Testing

@Suite struct CRC32Tests {
    @Test func knownVector() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func emptyInputReturnsTheSeed() {
        #expect(CRC32.checksum([]) == 0)
        #expect(CRC32.checksum([], seed: 0xCBF4_3926) == 0xCBF4_3926)
    }

    @Test func seedContinuesAChecksum() {
        let data = TestData.random(count: 100_000)
        let whole = CRC32.checksum(data)
        let first = CRC32.checksum(Array(data[..<12_345]))
        #expect(CRC32.checksum(Array(data[12_345...]), seed: first) == whole)
    }

    @Test func matchesTheGzipTrailer() throws {
        let data = TestData.compressible(count: 10_000)
        let gz = try Gzip.compress(data)
        let trailer = gz.suffix(8)
        let stored = trailer.prefix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(stored == CRC32.checksum(data))
    }
}
