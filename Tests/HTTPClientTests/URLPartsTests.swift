import HTTPClient
import Testing

@Suite struct URLPartsTests {
    @Test func splitsSchemeHostPortAndTarget() throws {
        let url = try URLParts(parsing: "HTTPS://Nominatim.Example.org:8443/search?q=Lyon&format=json#top")
        #expect(url.scheme == .https)
        #expect(url.host == "nominatim.example.org")
        #expect(url.port == 8443)
        #expect(url.target == "/search?q=Lyon&format=json")
        #expect(url.hostField == "nominatim.example.org:8443")
    }

    @Test func defaultsPortAndPath() throws {
        let plain = try URLParts(parsing: "http://example.com")
        #expect(plain.port == 80)
        #expect(plain.target == "/")
        #expect(plain.hostField == "example.com")
        let secure = try URLParts(parsing: "https://example.com:?x=1")
        #expect(secure.port == 443)
        #expect(secure.target == "/?x=1")
        #expect(secure.hostField == "example.com")
    }

    @Test func parsesIPv6Literals() throws {
        let url = try URLParts(parsing: "http://[::1]:8080/v1/forecast")
        #expect(url.host == "::1")
        #expect(url.isIPv6Literal)
        #expect(url.port == 8080)
        #expect(url.hostField == "[::1]:8080")
        #expect(try URLParts(parsing: "https://[2001:DB8::1]/").hostField == "[2001:db8::1]")
    }

    @Test(arguments: [
        "ftp://example.com/", "file:///etc/passwd", "ws://example.com/socket",
    ])
    func refusesOtherSchemes(_ text: String) {
        #expect {
            _ = try URLParts(parsing: text)
        } throws: { error in
            if case .unsupportedScheme = error as? HTTPClientError { return true }
            return false
        }
    }

    @Test(arguments: [
        "example.com/path", "http:/example.com", "http://", "http://:80/", "http://user:pw@example.com/",
        "http://example.com:+80/", "http://example.com:0/", "http://example.com:65536/", "http://example.com:8o/",
        "http://exa mple.com/", "http://example.com/a b", "http://example.com/caf\u{E9}", "http://[::1/",
        "http://[fe80::1%25eth0]/", "http://[::1]x/", "http://ex%41mple.com/", "1http://example.com/",
    ])
    func refusesMalformedURLs(_ text: String) {
        #expect {
            _ = try URLParts(parsing: text)
        } throws: { error in
            if case .invalidURL = error as? HTTPClientError { return true }
            return false
        }
    }
}
