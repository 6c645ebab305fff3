import Foundation
import Mail

/// The aiosmtpd server of `smtp_server.py`, running as a child process for one test.
///
/// The interpreter is `$TRAVELSENSE_TEST_PYTHON` or Debian's `/usr/bin/python3` (not whatever
/// `python3` is first on PATH, which may be a pyenv shim without system packages); aiosmtpd comes
/// from the Debian package `python3-aiosmtpd`, which `make test` installs through scripts/install-deps.
/// A missing aiosmtpd fails the test with that advice instead of skipping it.
final class SMTPTestServer {
    struct Options {
        enum TLS {
            case none
            case startTLS(cert: String, key: String)
            case implicit(cert: String, key: String)
        }

        var tls = TLS.none
        var user: String?
        var password: String?
        var mechanisms = "PLAIN,LOGIN"
        var authWithoutTLS = false
    }

    /// Received messages (`<n>.eml`, `<n>.json`) and `auth.log`.
    let maildir: String
    let port: Int
    private let process: Process
    private let stdin: Pipe

    static let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("smtp_server.py").path

    static var python: String {
        let configured = ProcessInfo.processInfo.environment["TRAVELSENSE_TEST_PYTHON"] ?? ""
        return configured.isEmpty ? "/usr/bin/python3" : configured
    }

    /// Checked once per process: can the interpreter import aiosmtpd?
    static let aiosmtpdAvailable: Result<Void, TestSetupError> = Result { () throws(TestSetupError) in
        let advice =
            "MailTests need Python's aiosmtpd: run `make deps` (it installs the Debian package python3-aiosmtpd) "
            + "or point TRAVELSENSE_TEST_PYTHON at an interpreter that has it."
        let result: (status: Int32, output: String)
        do {
            result = try Command.run(python, ["-c", "import aiosmtpd"])
        } catch {
            throw TestSetupError("\(error). \(advice)")
        }
        guard result.status == 0 else {
            let output = result.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? ""
            throw TestSetupError("aiosmtpd is not importable by \(python) (\(output)). \(advice)")
        }
    }

    init(_ options: Options) throws {
        try Self.aiosmtpdAvailable.get()
        maildir = try TemporaryDirectory.make(prefix: "smtp-maildir")
        var arguments = [Self.scriptPath, "--maildir", maildir, "--mechanisms", options.mechanisms]
        switch options.tls {
        case .none: break
        case .startTLS(let cert, let key): arguments += ["--cert", cert, "--key", key]
        case .implicit(let cert, let key): arguments += ["--cert", cert, "--key", key, "--implicit-tls"]
        }
        if let user = options.user { arguments += ["--user", user, "--password", options.password ?? ""] }
        if options.authWithoutTLS { arguments.append("--auth-without-tls") }

        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = arguments
        let stdout = Pipe()
        stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        let errorLog = maildir + "/server.log"
        _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errorLog)
        try process.run()

        // The first line is "READY <port>"; EOF instead means the server died at start.
        var line = Data()
        while line.last != UInt8(ascii: "\n") {
            let byte = stdout.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { break }
            line += byte
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
            throw TestSetupError("smtp_server.py did not start: \(text) \(log)")
        }
        self.port = port
    }

    deinit {
        // SIGKILL, not terminate(): a child spawned from a Dispatch worker inherits its blocked signal
        // mask, so SIGTERM may never arrive.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: maildir)
    }

    /// What the server recorded about its `index`-th message (1-based), or nil if it has none.
    func received(_ index: Int = 1) throws -> ReceivedMessage? {
        let base = "\(maildir)/\(index)"
        guard let json = FileManager.default.contents(atPath: base + ".json") else { return nil }
        let raw = try Data(contentsOf: URL(fileURLWithPath: base + ".eml"))
        var message = try JSONDecoder().decode(ReceivedMessage.self, from: json)
        message.raw = [UInt8](raw)
        return message
    }

    /// The AUTH commands the server saw, one "MECHANISM tls=Bool" per line.
    var authLog: [String] {
        let text = (try? String(contentsOfFile: maildir + "/auth.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }
}

/// A message as stored by `smtp_server.py`, decoded by Python's email package.
struct ReceivedMessage: Decodable {
    var mail_from: String
    var mail_options: [String]
    var rcpt_tos: [String]
    var tls_version: String?
    var authenticated_user: String?
    var helo: String?
    var subject: String
    var from: String
    var to: String
    var from_display_name: String
    var to_display_names: [String]
    var body: String
    var defects: [String]
    /// The bytes as the server stored them (dot-stuffing removed).
    var raw: [UInt8] = []

    private enum CodingKeys: String, CodingKey {
        case mail_from, mail_options, rcpt_tos, tls_version, authenticated_user, helo, subject, from, to
        case from_display_name, to_display_names, body, defects
    }
}
