import Crypto
import Testing

@testable import Mail

@Suite struct SMTPConfigurationTests {
    @Test func submissionURLDefaultsToPort587WithRequiredSTARTTLS() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mailer:s3cret@smtp.example.com")
        #expect(configuration.host == "smtp.example.com")
        #expect(configuration.port == 587)
        #expect(configuration.security == .startTLS)
        #expect(configuration.username == "mailer")
        #expect(configuration.password == "s3cret")
        #expect(configuration.tls == TLSClientConfiguration())
        #expect(configuration.connectTimeout == SMTPConfiguration.defaultConnectTimeout)
    }

    @Test func smtpsUsesImplicitTLSOnPort465() throws {
        let configuration = try SMTPConfiguration(url: "SMTPS://smtp.example.com")
        #expect(configuration.port == 465)
        #expect(configuration.security == .implicitTLS)
        #expect(configuration.username == nil)
    }

    @Test func queryParametersAndPercentEncodedCredentials() throws {
        let configuration = try SMTPConfiguration(
            url: "smtp://user%40example.com:p%40ss%3Aw%2Frd@[::1]:2525/?starttls=opportunistic"
                + "&ca_file=/etc/ssl/private%20ca.pem&helo=app.example.com&timeout=30&connect_timeout=5")
        #expect(configuration.username == "user@example.com")
        #expect(configuration.password == "p@ss:w/rd")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 2525)
        #expect(configuration.security == .opportunisticStartTLS)
        #expect(configuration.tls.caFile == "/etc/ssl/private ca.pem")
        #expect(configuration.clientName == "app.example.com")
        #expect(configuration.commandTimeout == .seconds(30))
        #expect(configuration.connectTimeout == .seconds(5))
    }

    @Test func anUnescapedAtInTheUserNameStillParses() throws {
        let configuration = try SMTPConfiguration(url: "smtp://user@example.com:pw@smtp.example.com:587")
        #expect(configuration.username == "user@example.com")
        #expect(configuration.host == "smtp.example.com")
    }

    @Test func descriptionRedactsThePassword() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mailer:hunter2-secret@smtp.example.com?ca_file=/ca.pem")
        #expect(configuration.description == "smtp://mailer:***@smtp.example.com:587?ca_file=/ca.pem")
        #expect(!"\(configuration)".contains("hunter2"))
        #expect(!String(reflecting: configuration).contains("hunter2"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }

    @Test(arguments: [
        "http://smtp.example.com", "smtp://", "smtp://host:0", "smtp://host:65536", "smtp://host:+25",
        "smtp://host:25x", "smtp://host/path", "smtp://host?starttls=never", "smtps://host?starttls=required",
        "smtp://host?unknown=1", "smtp://host?timeout=-1", "smtp://host?timeout=0", "smtp://host?helo=bad%20name",
        "smtp://host?helo=a%0D%0AMAIL", "smtp://:pw@host", "smtp://u:p%zz@host", "smtp://[::1", "smtp://ho st",
        "smtp://host#frag",
    ])
    func malformedURLsAreRefused(url: String) {
        #expect(throws: MailError.self) { _ = try SMTPConfiguration(url: url) }
    }

    @Test func errorsNeverQuoteThePassword() {
        for url in [
            "smtp://u:topsecret@host:99999", "smtp://u:topsecret%zz@host", "smtp://u:topsecret@host?x=1",
            "smtp://u:topsecret@host/p",
        ] {
            do {
                _ = try SMTPConfiguration(url: url)
                Issue.record("\(url) parsed")
            } catch {
                #expect(!error.description.contains("topsecret"))
                #expect(!error.isTransient)
            }
        }
    }
}

@Suite struct MailErrorTests {
    @Test func transienceFollowsTheReplyClassAndTheFailureKind() {
        #expect(MailError.rejected(command: "RCPT TO", reply: SMTPReply(code: 451, lines: ["later"])).isTransient)
        #expect(!MailError.rejected(command: "RCPT TO", reply: SMTPReply(code: 550, lines: ["no"])).isTransient)
        #expect(MailError.connectionFailed("refused").isTransient)
        #expect(MailError.timedOut("reply").isTransient)
        #expect(!MailError.certificateRejected("hostname mismatch").isTransient)
        #expect(!MailError.tlsUnavailable("no STARTTLS").isTransient)
        #expect(!MailError.invalidMessage("CR").isTransient)
    }
}
