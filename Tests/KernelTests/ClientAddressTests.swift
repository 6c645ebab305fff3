import HTTP
import Testing

@testable import Kernel

@Suite struct ClientAddressTests {
    let trusted = ["10.0.0.0/8", "::1", "fd00::/8"].compactMap { CIDR($0) }

    func resolve(_ peer: String, _ xff: [String]) -> String {
        ClientAddressMiddleware.resolve(peer: peer, forwardedFor: xff, trusted: trusted)
    }

    @Test func rangesParseAndMatch() throws {
        let ten = try #require(CIDR("10.0.0.0/8"))
        #expect(ten.contains(try #require(IPAddress("10.255.1.1"))))
        #expect(!ten.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(!ten.contains(try #require(IPAddress("::ffff:b00:1"))))
        let v6 = try #require(CIDR("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:1::5"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::5"))))
        #expect(try #require(CIDR("0.0.0.0/0")).contains(try #require(IPAddress("203.0.113.9"))))
        for bad in ["10.0.0.0/33", "abc", "10.0.0.0/-1", "fe80::/129", "10.0.0.0/8/8", "10.0.0.0/", "localhost"] {
            #expect(CIDR(bad) == nil, "\(bad)")
        }
        #expect(IPAddress(peer: "[::1]:8080")?.description == "::1")
        #expect(IPAddress(peer: "192.0.2.1:443")?.description == "192.0.2.1")
    }

    @Test func anUntrustedPeerIsTheClientWhateverItClaims() {
        #expect(resolve("203.0.113.5:4000", ["1.2.3.4"]) == "203.0.113.5")
    }

    @Test func behindTrustedProxiesTheFirstUntrustedHopFromTheRightIsTheClient() {
        #expect(resolve("10.0.0.3:4000", ["203.0.113.7"]) == "203.0.113.7")
        #expect(resolve("10.0.0.3:4000", ["203.0.113.7, 10.0.0.2"]) == "203.0.113.7")
        // The client may put anything on the left; it is never believed.
        #expect(resolve("10.0.0.3:4000", ["1.2.3.4, 203.0.113.7", "10.0.0.2"]) == "203.0.113.7")
        // Every hop trusted: the leftmost is as far as we can see.
        #expect(resolve("[::1]:4000", ["10.1.1.1, fd00::5"]) == "10.1.1.1")
        // A malformed hop ends the chain at the proxy that passed it on.
        #expect(resolve("10.0.0.3:4000", ["203.0.113.7, not-an-ip"]) == "10.0.0.3")
        #expect(resolve("10.0.0.3:4000", []) == "10.0.0.3")
    }

    @Test func theMiddlewareSetsItAndTheConfigValidatesIt() throws {
        let handler = ([ClientAddressMiddleware(trusted: trusted)] as [any Middleware]).wrapping { request in
            Response(status: .ok, contentType: "text/plain", body: Array(request.clientAddress.utf8))
        }
        var request = Request(method: .get, target: "/")
        request.remoteAddress = "10.0.0.9:1234"
        request.headers.append("X-Forwarded-For", "198.51.100.4")
        #expect(String(decoding: try handler(request).bodyBytes, as: UTF8.self) == "198.51.100.4")

        let config = try AppConfig.load(from: Environment(["TRUSTED_PROXIES": "10.0.0.0/8, ::1"]))
        #expect(config.trustedProxies.count == 2)
        #expect(throws: ConfigError.self) { try AppConfig.load(from: Environment(["TRUSTED_PROXIES": "10.0.0.0/8,x"])) }
    }
}
