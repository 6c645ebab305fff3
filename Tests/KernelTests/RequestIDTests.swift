import HTTP
import Testing

@testable import Kernel

@Suite struct RequestIDTests {
    private func run(
        _ headers: HTTPFields, handler: @escaping Handler = { _ in Response(status: .ok) }
    ) throws -> (Response, String) {
        let seen = IDBox()
        let chain: [any Middleware] = [RequestIDMiddleware()]
        let wrapped = chain.wrapping { request in
            seen.set(request.requestID)
            return try handler(request)
        }
        let response = try wrapped(Request(method: .get, target: "/x", headers: headers))
        return (response, seen.value)
    }

    @Test(arguments: ["abc", "A.b_c:d-e", "0190b1d2-7c3a-7f00-8a1b-2c3d4e5f6071", String(repeating: "x", count: 128)])
    func acceptsValidIncomingID(_ id: String) throws {
        var h = HTTPFields()
        h.append(.xRequestID, id)
        let (response, seen) = try run(h)
        #expect(seen == id)
        #expect(response.headers[.xRequestID] == id)
    }

    @Test(arguments: [
        "", "has space", "semi;colon", "quote\"", "ünïcode", "slash/", String(repeating: "x", count: 129),
    ])
    func replacesInvalidIncomingID(_ id: String) throws {
        var h = HTTPFields()
        h.append(.xRequestID, id)
        let (response, seen) = try run(h)
        #expect(seen != id)
        #expect(UUIDv7(seen) != nil, "a generated id is a UUIDv7")
        #expect(response.headers[.xRequestID] == seen)
        #expect(response.headers.values(.xRequestID).count == 1)
    }

    @Test func generatesWhenAbsent() throws {
        let (r1, id1) = try run(HTTPFields())
        let (_, id2) = try run(HTTPFields())
        #expect(UUIDv7(id1) != nil)
        #expect(id1 != id2)
        #expect(r1.headers[.xRequestID] == id1)
    }

    @Test func echoedOnErrors() throws {
        let (response, seen) = try run(HTTPFields()) { _ in throw HTTPError(.conflict, detail: "taken") }
        #expect(response.status == .conflict)
        #expect(response.headers[.xRequestID] == seen)
        #expect(response.json?["request_id"] as? String == seen)
    }

    @Test func echoedWhenTheHandlerSetsItsOwnHeader() throws {
        var h = HTTPFields()
        h.append(.xRequestID, "client-id")
        let (response, _) = try run(h) { _ in
            var r = Response(status: .ok)
            r.headers.append(.xRequestID, "spoofed")
            return r
        }
        #expect(response.headers.values(.xRequestID) == ["client-id"])
    }
}

final class IDBox: Sendable {
    private let box = ByteBox()
    func set(_ s: String) { Array(s.utf8).withUnsafeBytes { box.append(contentsOf: $0) } }
    var value: String { String(decoding: box.snapshot, as: UTF8.self) }
}

@Suite struct UUIDv7Tests {
    @Test func layout() throws {
        let id = UUIDv7(unixNanoseconds: 1_700_000_000_123_456_789, random: .max)
        let s = id.description
        #expect(s.count == 36)
        #expect(
            s.range(
                of: #"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#,
                options: .regularExpression) != nil)
        #expect(id.unixMilliseconds == 1_700_000_000_123)
        #expect(UUIDv7(s) == id)
        #expect(UUIDv7(s.uppercased()) == id)
    }

    @Test func timeOrdered() {
        let a = UUIDv7(unixNanoseconds: 1_000_000_000_000_000, random: .max)
        let b = UUIDv7(unixNanoseconds: 1_000_000_000_000_500, random: 0)  // same millisecond, later
        let c = UUIDv7(unixNanoseconds: 1_000_000_000_001_000, random: 0)
        #expect(a < b && b < c)
        #expect(a.description < b.description && b.description < c.description)
    }

    @Test func randomAndUnique() {
        var seen = Set<String>()
        for _ in 0..<10_000 { seen.insert(UUIDv7().description) }
        #expect(seen.count == 10_000)
    }

    @Test(arguments: [
        "", "not-a-uuid", "0190b1d2-7c3a-4f00-8a1b-2c3d4e5f6071", "0190b1d2-7c3a-7f00-ca1b-2c3d4e5f6071",
        "0190b1d27c3a7f008a1b2c3d4e5f6071xxxx", "0190b1d2-7c3a-7f00-8a1b-2c3d4e5f607g",
    ])
    func rejectsOtherStrings(_ s: String) {
        #expect(UUIDv7(s) == nil)
    }
}
