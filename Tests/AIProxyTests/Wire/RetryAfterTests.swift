import Testing

@testable import AIProxy

@Suite struct RetryAfterTests {
    @Test func deltaSeconds() {
        #expect(RetryAfter.parse("1") == .seconds(1))
        #expect(RetryAfter.parse(" 120 ") == .seconds(120))
        #expect(RetryAfter.parse("+5") == nil)
        #expect(RetryAfter.parse("-1") == nil)
        #expect(RetryAfter.parse("1.5") == nil)
        #expect(RetryAfter.parse("") == nil)
        #expect(RetryAfter.parse("99999999999999999999") == .seconds(999_999_999))
    }

    @Test func httpDate() {
        // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example).
        #expect(RetryAfter.imfFixdate(Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8)) == 784_111_777)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:47 GMT", now: 784_111_777) == .seconds(10))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_800) == .zero)
        #expect(RetryAfter.parse("Sun, 06 Foo 1994 08:49:37 GMT") == nil)
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
    }
}
