import Crypto
import Foundation
import Testing

/// TLSStream against Python's `ssl` server: handshake, verification, echo, close_notify, timeouts.
@Suite struct TLSStreamTests {
    static func trusting() throws -> TLSClientConfiguration {
        TLSClientConfiguration(caFile: try TLSTestPeer.certificate.get().cert)
    }

    static func read(_ stream: TLSStream, count: Int) throws -> [UInt8] {
        var received: [UInt8] = []
        while received.count < count {
            let chunk = try stream.read(maxLength: count - received.count)
            if chunk.isEmpty { break }
            received += chunk
        }
        return received
    }

    @Test func echoesAMegabyteAndClosesWithCloseNotify() throws {
        let peer = try TLSTestPeer()
        let fd = try peer.connect()
        defer { close(fd) }
        let stream = try TLSStream(fd: fd, hostName: "localhost", configuration: Self.trusting(), timeout: .seconds(10))
        #expect(stream.protocolVersion == "TLSv1.3")
        #expect(!stream.cipherSuite.isEmpty)
        let payload = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        // The echo comes back while we write, so write in pieces and read each back.
        var received: [UInt8] = []
        for start in stride(from: 0, to: payload.count, by: 65536) {
            let piece = Array(payload[start..<min(start + 65536, payload.count)])
            try stream.write(piece)
            received += try Self.read(stream, count: piece.count)
        }
        #expect(received == payload)
        stream.close()
        stream.close()  // idempotent
        #expect(peer.nextReport() == "clean")
        #expect(throws: CryptoError.self) { try stream.write([1]) }
    }

    @Test func readReturnsZeroAfterThePeersCloseNotify() throws {
        let peer = try TLSTestPeer()
        let fd = try peer.connect()
        defer { close(fd) }
        let stream = try TLSStream(fd: fd, hostName: "127.0.0.1", configuration: Self.trusting(), timeout: .seconds(10))
        try stream.write(Array("bye\n".utf8))
        #expect(try stream.read(maxLength: 100) == [])
        #expect(try stream.read(maxLength: 100) == [])
    }

    @Test func theSystemTrustStoreRefusesASelfSignedCertificate() throws {
        let peer = try TLSTestPeer()
        let fd = try peer.connect()
        defer { close(fd) }
        #expect(throws: CryptoError.tlsVerificationFailed("self-signed certificate")) {
            _ = try TLSStream(fd: fd, hostName: "localhost", timeout: .seconds(10))
        }
    }

    @Test func aNameTheCertificateDoesNotCarryIsRefused() throws {
        let peer = try TLSTestPeer()
        for host in ["elsewhere.example", "127.0.0.2"] {
            let fd = try peer.connect()
            defer { close(fd) }
            let expected = host.first?.isNumber == true ? "IP address mismatch" : "hostname mismatch"
            #expect(throws: CryptoError.tlsVerificationFailed(expected)) {
                _ = try TLSStream(fd: fd, hostName: host, configuration: Self.trusting(), timeout: .seconds(10))
            }
        }
    }

    @Test func verificationCanBeTurnedOffExplicitly() throws {
        let peer = try TLSTestPeer()
        let fd = try peer.connect()
        defer { close(fd) }
        let stream = try TLSStream(
            fd: fd, hostName: "elsewhere.example", configuration: TLSClientConfiguration(verifyPeer: false),
            timeout: .seconds(10))
        try stream.write(Array("ping".utf8))
        #expect(try Self.read(stream, count: 4) == Array("ping".utf8))
        stream.close()
    }

    @Test func aMinimumOfTLS13RefusesATLS12Server() throws {
        let peer = try TLSTestPeer(maximumVersion: "1.2")
        let fd = try peer.connect()
        defer { close(fd) }
        var configuration = try Self.trusting()
        configuration.minimumVersion = .v1_3
        #expect {
            _ = try TLSStream(fd: fd, hostName: "localhost", configuration: configuration, timeout: .seconds(10))
        } throws: { error in
            guard case .tlsHandshakeFailed = error as? CryptoError else { return false }
            return true
        }
        // TLS 1.2 is still accepted by default.
        let second = try peer.connect()
        defer { close(second) }
        let stream = try TLSStream(
            fd: second, hostName: "localhost", configuration: Self.trusting(), timeout: .seconds(10))
        #expect(stream.protocolVersion == "TLSv1.2")
    }

    @Test func aSilentServerTimesTheHandshakeOut() throws {
        let listener = try TLSTestPeer.silentListener()
        defer { close(listener.fd) }
        let fd = try TLSTestPeer.connect(port: listener.port)
        defer { close(fd) }
        #expect(throws: CryptoError.tlsTimedOut("handshake")) {
            _ = try TLSStream(
                fd: fd, hostName: "localhost", configuration: Self.trusting(), timeout: .milliseconds(200))
        }
    }

    @Test func anUnreadableCAFileIsAConfigurationError() {
        #expect {
            _ = try TLSClientContext(configuration: TLSClientConfiguration(caFile: "/nonexistent/ca.pem"))
        } throws: { error in
            guard case .tlsConfiguration = error as? CryptoError else { return false }
            return true
        }
        let notPEM = NSTemporaryDirectory() + "/travelsense-not-a-cert-\(UInt64.random(in: 0...UInt64.max)).pem"
        _ = FileManager.default.createFile(atPath: notPEM, contents: Data("hello".utf8))
        defer { try? FileManager.default.removeItem(atPath: notPEM) }
        #expect(throws: CryptoError.self) {
            _ = try TLSClientContext(configuration: TLSClientConfiguration(caFile: notPEM))
        }
    }
}

@Suite struct TLSStreamVersionTests {
    @Test func verificationOffAlsoCompletesATLS12Handshake() throws {
        // TLS 1.2 verifies the certificate one flight before the handshake ends, so a recorded
        // verify error must not end a handshake that was told not to verify.
        let peer = try TLSTestPeer(maximumVersion: "1.2")
        let fd = try peer.connect()
        defer { close(fd) }
        let stream = try TLSStream(
            fd: fd, hostName: "localhost", configuration: TLSClientConfiguration(verifyPeer: false),
            timeout: .seconds(10))
        #expect(stream.protocolVersion == "TLSv1.2")
        try stream.write(Array("ping".utf8))
        #expect(try TLSStreamTests.read(stream, count: 4) == Array("ping".utf8))
    }
}
