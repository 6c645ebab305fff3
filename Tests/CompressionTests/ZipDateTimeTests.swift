import Foundation
import Testing

@testable import Compression

/// Entry timestamps: MS-DOS fields in UTC, two-second resolution, clamped to the format's range.
struct ZipDateTimeTests {
    static func fields(_ value: DOSDateTime) -> [Int] {
        let date = Int(value.date)
        let time = Int(value.time)
        return [1980 + date >> 9, date >> 5 & 0xF, date & 0x1F, time >> 11, time >> 5 & 0x3F, (time & 0x1F) * 2]
    }

    @Test func utcFieldsRoundedDownToTwoSeconds() {
        // 2024-02-29T23:59:59.9Z: a leap day, last second, which must not round into March.
        let value = DOSDateTime(Date(timeIntervalSince1970: 1_709_251_199.9))
        #expect(Self.fields(value) == [2024, 2, 29, 23, 59, 58])
    }

    @Test func epochOfTheFormat() {
        #expect(Self.fields(DOSDateTime(Date(timeIntervalSince1970: 315_532_800))) == [1980, 1, 1, 0, 0, 0])
    }

    @Test func outOfRangeIsClamped() {
        #expect(DOSDateTime(Date(timeIntervalSince1970: 0)) == .earliest)
        #expect(DOSDateTime(Date(timeIntervalSince1970: -1e12)) == .earliest)
        #expect(DOSDateTime(Date(timeIntervalSince1970: .nan)) == .earliest)
        #expect(DOSDateTime(Date(timeIntervalSince1970: 1e12)) == .latest)
        #expect(Self.fields(.latest) == [2107, 12, 31, 23, 59, 58])
    }
}
