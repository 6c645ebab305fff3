import Redis
import Testing

@Suite struct RESPValueTests {
    @Test func accessors() {
        #expect(RESPValue.simpleString("OK").string == "OK")
        #expect(RESPValue.bulkString(Array("héllo".utf8)).string == "héllo")
        #expect(RESPValue.bulkString([0xFF, 0xFE]).string == nil)
        #expect(RESPValue.bulkString([0xFF, 0xFE]).bytes == [0xFF, 0xFE])
        #expect(RESPValue.integer(42).int == 42)
        #expect(RESPValue.bulkString(Array("-17".utf8)).int == -17)
        #expect(RESPValue.array([.integer(1)]).array == [.integer(1)])
        #expect(RESPValue.error("ERR x").errorMessage == "ERR x")
        #expect(RESPValue.bulkString(nil).isNil)
        #expect(RESPValue.array(nil).isNil)
        #expect(!RESPValue.bulkString([]).isNil)
    }

    @Test(arguments: ["+5", " 5", "5 ", "", "-", "9223372036854775808", "1.0", "0x10"])
    func intIsStrict(text: String) {
        #expect(RESPValue.bulkString(Array(text.utf8)).int == nil)
    }

    @Test func intBounds() {
        #expect(RESPValue.bulkString(Array("9223372036854775807".utf8)).int == Int.max)
        #expect(RESPValue.bulkString(Array("-9223372036854775808".utf8)).int == Int.min)
    }

    @Test func serverErrorCode() {
        #expect(RedisError.server("WRONGTYPE Operation against a key").serverErrorCode == "WRONGTYPE")
        #expect(RedisError.timeout.serverErrorCode == nil)
        #expect(RedisError.timeout.isUnavailable)
        #expect(!RedisError.server("ERR").isUnavailable)
    }
}
