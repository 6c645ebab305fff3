import Crypto
import Foundation
import Mail
import Testing

/// SMTPMailer against a real SMTP server (aiosmtpd) on 127.0.0.1 with a test CA.
@Suite struct SMTPMailerTests {
    static let user = "mailer@travelsense.example"
    static let password = "correct horse battery staple"

    static func certificates() throws -> TestCertificates { try TestCertificates.shared.get() }

    static let message = MailMessage(
        from: MailAddress("noreply@travelsense.example", name: "TravelSense Reisen"),
        to: [MailAddress("ana@example.com", name: "Ana Pérez"), MailAddress("bo@example.org")],
        subject: "Bestätigung: Zürich ✈︎ Lisboa",
        text: "Olá Ana,\n.this line starts with a dot\n.\n..two dots\nÜmlaute, emoji 🧳, and a = sign.\n"
            + String(repeating: "A long line that needs soft breaks. ", count: 12) + "\n",
        headers: [(name: "Auto-Submitted", value: "auto-generated")])

    /// The text as it travels: Python's email package keeps the message's CRLF line ends.
    static func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }

    static func configuration(
        port: Int, host: String = "localhost", security: SMTPConfiguration.Security = .startTLS,
        credentials: Bool = true, caFile: String?
    ) -> SMTPConfiguration {
        SMTPConfiguration(
            host: host, port: port, security: security, username: credentials ? user : nil,
            password: credentials ? password : nil, tls: TLSClientConfiguration(caFile: caFile),
            clientName: "client.travelsense.example", connectTimeout: .seconds(5), commandTimeout: .seconds(10))
    }

    static func startTLSServer(
        cert: String? = nil, key: String? = nil, mechanisms: String = "PLAIN,LOGIN"
    ) throws -> SMTPTestServer {
        let pki = try certificates()
        return try SMTPTestServer(
            .init(
                tls: .startTLS(cert: cert ?? pki.serverCert, key: key ?? pki.serverKey), user: user,
                password: password, mechanisms: mechanisms))
    }

    @Test func deliversOverSTARTTLSWithAuthPlainIntact() throws {
        let server = try Self.startTLSServer()
        let pki = try Self.certificates()
        try SMTPMailer(configuration: Self.configuration(port: server.port, caFile: pki.caFile)).send(Self.message)

        let received = try #require(try server.received())
        #expect(received.tls_version == "TLSv1.3" || received.tls_version == "TLSv1.2")
        #expect(received.authenticated_user == Self.user)
        #expect(received.helo == "client.travelsense.example")
        #expect(received.mail_from == "noreply@travelsense.example")
        #expect(received.mail_options.contains { $0.hasPrefix("SIZE=") })
        #expect(received.rcpt_tos == ["ana@example.com", "bo@example.org"])
        #expect(received.subject == Self.message.subject)
        #expect(received.from_display_name == "TravelSense Reisen")
        #expect(received.to_display_names == ["Ana Pérez", ""])
        #expect(received.body == Self.crlf(Self.message.text))
        #expect(received.defects.isEmpty)
        let raw = String(decoding: received.raw, as: UTF8.self)
        #expect(raw.contains("\r\n.this line starts with a dot\r\n.\r\n..two dots\r\n"))
        #expect(raw.contains("\r\nAuto-Submitted: auto-generated\r\n"))
        #expect(raw.contains("\r\nMessage-ID: <") && raw.contains("@travelsense.example>\r\n"))
        #expect(server.authLog == ["PLAIN tls=True"])
    }

    @Test func usesAuthLoginWhenThatIsAllTheServerOffers() throws {
        let server = try Self.startTLSServer(mechanisms: "LOGIN")
        let pki = try Self.certificates()
        try SMTPMailer(configuration: Self.configuration(port: server.port, caFile: pki.caFile)).send(Self.message)
        #expect(try server.received()?.authenticated_user == Self.user)
        #expect(server.authLog == ["LOGIN tls=True"])
    }

    @Test func deliversOverImplicitTLSToAnIPAddress() throws {
        let pki = try Self.certificates()
        let server = try SMTPTestServer(
            .init(tls: .implicit(cert: pki.serverCert, key: pki.serverKey), user: Self.user, password: Self.password))
        try SMTPMailer(
            configuration: Self.configuration(
                port: server.port, host: "127.0.0.1", security: .implicitTLS, caFile: pki.caFile)
        ).send(Self.message)
        let received = try #require(try server.received())
        #expect(received.tls_version != nil)
        #expect(received.authenticated_user == Self.user)
    }

    @Test func wrongPasswordIsAPermanentRejection() throws {
        let server = try Self.startTLSServer()
        let pki = try Self.certificates()
        var configuration = Self.configuration(port: server.port, caFile: pki.caFile)
        configuration.password = "wrong password"
        let error = try #require(throws: MailError.self) {
            try SMTPMailer(configuration: configuration).send(Self.message)
        }
        guard case .rejected(let command, let reply) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(command == "AUTH PLAIN")
        #expect(reply.code == 535)
        #expect(!error.isTransient)
        #expect(!error.description.contains("wrong password"))
        #expect(try server.received() == nil)
    }

    @Test func aCertificateFromAnUntrustedCAIsRefused() throws {
        let server = try Self.startTLSServer()
        // No ca_file: the system trust store does not know the test CA.
        let error = try #require(throws: MailError.self) {
            try SMTPMailer(configuration: Self.configuration(port: server.port, caFile: nil)).send(Self.message)
        }
        #expect(error == .certificateRejected("unable to get local issuer certificate"))
        #expect(!error.isTransient)
        #expect(server.authLog.isEmpty)
        #expect(try server.received() == nil)
    }

    @Test func aCertificateForAnotherHostIsRefused() throws {
        let pki = try Self.certificates()
        let server = try Self.startTLSServer(cert: pki.wrongHostCert, key: pki.wrongHostKey)
        let error = try #require(throws: MailError.self) {
            try SMTPMailer(configuration: Self.configuration(port: server.port, caFile: pki.caFile)).send(Self.message)
        }
        #expect(error == .certificateRejected("hostname mismatch"))
        #expect(server.authLog.isEmpty)
        #expect(try server.received() == nil)
    }

    @Test func requiredSTARTTLSAgainstAServerWithoutItSendsNoCredentials() throws {
        // This server would even take AUTH in clear text.
        let server = try SMTPTestServer(.init(user: Self.user, password: Self.password, authWithoutTLS: true))
        let pki = try Self.certificates()
        let error = try #require(throws: MailError.self) {
            try SMTPMailer(configuration: Self.configuration(port: server.port, caFile: pki.caFile)).send(Self.message)
        }
        guard case .tlsUnavailable = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(!error.isTransient)
        #expect(server.authLog.isEmpty)
        #expect(try server.received() == nil)
    }

    @Test func opportunisticSTARTTLSStillRefusesToSendCredentialsInClear() throws {
        let server = try SMTPTestServer(.init(user: Self.user, password: Self.password, authWithoutTLS: true))
        let configuration = Self.configuration(port: server.port, security: .opportunisticStartTLS, caFile: nil)
        #expect(throws: MailError.tlsUnavailable("refusing to send credentials without TLS")) {
            try SMTPMailer(configuration: configuration).send(Self.message)
        }
        #expect(server.authLog.isEmpty)
    }

    @Test func opportunisticSTARTTLSWithoutCredentialsDeliversToAPlainRelay() throws {
        let server = try SMTPTestServer(.init())
        let configuration = Self.configuration(
            port: server.port, security: .opportunisticStartTLS, credentials: false, caFile: nil)
        try SMTPMailer(configuration: configuration).send(Self.message)
        let received = try #require(try server.received())
        #expect(received.tls_version == nil)
        #expect(received.body == Self.crlf(Self.message.text))
    }

    @Test func aPermanentRecipientRejectionIsPermanentAndSendsNothing() throws {
        let server = try Self.startTLSServer()
        let pki = try Self.certificates()
        var message = Self.message
        message.to.append(MailAddress("reject-permanent@example.com"))
        let error = try #require(throws: MailError.self) {
            try SMTPMailer(configuration: Self.configuration(port: server.port, caFile: pki.caFile)).send(message)
        }
        guard case .rejected(let command, let reply) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(command == "RCPT TO")
        #expect(reply.code == 550)
        #expect(reply.enhancedCode == "5.1.1")
        #expect(!error.isTransient)
        #expect(try server.received() == nil)  // all or nothing: the accepted recipients got nothing either
    }

    @Test func aTransientRecipientRejectionIsTransient() throws {
        let server = try Self.startTLSServer()
        let pki = try Self.certificates()
        var message = Self.message
        message.to = [MailAddress("reject-transient@example.com")]
        let error = try #require(throws: MailError.self) {
            try SMTPMailer(configuration: Self.configuration(port: server.port, caFile: pki.caFile)).send(message)
        }
        guard case .rejected(_, let reply) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(reply.code == 451)
        #expect(reply.enhancedCode == "4.3.0")
        #expect(error.isTransient)
    }

    @Test func aRefusedConnectionIsTransient() throws {
        // Bind a port and close it again: nothing listens there now.
        let port = try FreePort.find()
        let error = try #require(throws: MailError.self) {
            try SMTPMailer(configuration: Self.configuration(port: port, caFile: nil)).send(Self.message)
        }
        guard case .connectionFailed = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(error.isTransient)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        // A listening socket that never accepts: the connect succeeds, the greeting never comes.
        let listener = try FreePort.listen()
        defer { close(listener.fd) }
        var configuration = Self.configuration(port: listener.port, caFile: nil)
        configuration.commandTimeout = .milliseconds(300)
        let error = try #require(throws: MailError.self) {
            try SMTPMailer(configuration: configuration).send(Self.message)
        }
        guard case .timedOut = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(error.isTransient)
    }
}

/// Loopback ports for the failure tests.
enum FreePort {
    /// A listening socket on 127.0.0.1 with a kernel-chosen port; nobody ever accepts on it.
    static func listen() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok, Glibc.listen(fd, 1) == 0 else {
            close(fd)
            throw TestSetupError("bind/listen on 127.0.0.1 failed")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port nothing listens on right now.
    static func find() throws -> Int {
        let listener = try listen()
        close(listener.fd)
        return listener.port
    }
}
