import Crypto
import Foundation
import HTTPClient
import Testing

/// https against Python's `ssl` + `http.server` with a self-signed certificate for `localhost`.
@Suite struct TLSTests {
    static func trusting() throws -> HTTPClient {
        let ca = try TLSServer.certificate.get().cert
        return try makeClient { $0.tls.caFile = ca }
    }

    struct Echo: Decodable {
        var path: String
        var port: Int
    }

    @Test func getsOverTLSAndReusesTheConnection() throws {
        let server = try TLSServer()
        let client = try Self.trusting()
        let url = "https://localhost:\(server.port)/v1/forecast?latitude=45.76"
        let first = try get(client, url)
        #expect(first.status.code == 200)
        let echo = try JSONDecoder().decode(Echo.self, from: Data(first.body))
        #expect(echo.path == "/v1/forecast?latitude=45.76")
        let second = try JSONDecoder().decode(Echo.self, from: Data(try get(client, url).body))
        #expect(second.port == echo.port)  // one TLS session carried both requests
    }

    @Test func theSystemTrustStoreRefusesATestCertificate() throws {
        let server = try TLSServer()
        let client = try makeClient()
        let error = clientError { _ = try get(client, "https://localhost:\(server.port)/") }
        #expect(error == .tls(.tlsVerificationFailed("self-signed certificate")))
        #expect(error?.isTransient == false)
    }

    @Test func aNameTheCertificateDoesNotCarryIsRefused() throws {
        let server = try TLSServer()
        let client = try Self.trusting()
        // Same server, reached by address: the certificate names only "localhost".
        let error = clientError { _ = try get(client, "https://127.0.0.1:\(server.port)/") }
        #expect(error == .tls(.tlsVerificationFailed("IP address mismatch")))
    }

    @Test func anUnreadableCAFileFailsAtConstruction() {
        let error = clientError { _ = try makeClient { $0.tls.caFile = "/nonexistent/ca.pem" } }
        guard case .tls(.tlsConfiguration) = error else {
            Issue.record("expected a TLS configuration error, got \(String(describing: error))")
            return
        }
    }
}
