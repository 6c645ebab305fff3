import Foundation
import TestSupport

/// A throw-away PKI made with the `openssl` CLI once per test process: a test CA, a server
/// certificate for localhost and 127.0.0.1 signed by it, and one for a host name nobody connects to.
struct TestCertificates: Sendable {
    let directory: String
    /// The test CA, for `ca_file`.
    let caFile: String
    /// Certificate and key naming DNS:localhost and IP:127.0.0.1.
    let serverCert: String
    let serverKey: String
    /// Certificate and key naming only DNS:elsewhere.example, signed by the same CA.
    let wrongHostCert: String
    let wrongHostKey: String

    /// Generated on first use; the directory lives until the test process ends.
    static let shared: Result<TestCertificates, TestSetupError> = Result { () throws(TestSetupError) in
        try generate()
    }

    private static func generate() throws(TestSetupError) -> TestCertificates {
        let directory = try TemporaryDirectory.make(prefix: "mail-pki")
        func path(_ name: String) -> String { directory + "/" + name }
        try write(
            path("ca.cnf"),
            """
            [req]
            distinguished_name = dn
            x509_extensions = v3_ca
            prompt = no
            [dn]
            CN = TravelSense Mail Test CA
            [v3_ca]
            basicConstraints = critical,CA:TRUE
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            """)
        try openssl([
            "req", "-x509", "-config", path("ca.cnf"), "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "2",
        ])
        for (name, subjectAltName) in [("server", "DNS:localhost,IP:127.0.0.1"), ("wrong", "DNS:elsewhere.example")] {
            try write(
                path("\(name).cnf"),
                """
                [req]
                distinguished_name = dn
                prompt = no
                [dn]
                CN = \(name) test server
                [v3_server]
                basicConstraints = critical,CA:FALSE
                keyUsage = critical,digitalSignature
                extendedKeyUsage = serverAuth
                subjectAltName = \(subjectAltName)
                """)
            try openssl([
                "req", "-new", "-config", path("\(name).cnf"), "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", path("\(name).key"), "-out", path("\(name).csr"),
            ])
            try openssl([
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-set_serial", "0x\(UInt64.random(in: 1...UInt64.max / 2))", "-days", "2", "-extfile",
                path("\(name).cnf"), "-extensions", "v3_server", "-out", path("\(name).pem"),
            ])
        }
        return TestCertificates(
            directory: directory, caFile: path("ca.pem"), serverCert: path("server.pem"),
            serverKey: path("server.key"), wrongHostCert: path("wrong.pem"), wrongHostKey: path("wrong.key"))
    }

    private static func write(_ path: String, _ text: String) throws(TestSetupError) {
        do {
            try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw TestSetupError("cannot write \(path): \(error)")
        }
    }

    private static func openssl(_ arguments: [String]) throws(TestSetupError) {
        let result = try Command.run("/usr/bin/openssl", arguments)
        guard result.status == 0 else {
            throw TestSetupError("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(result.output)")
        }
    }
}

/// Why a test could not set up its environment; the message says what to install or fix.
struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `ToolProcess.run`, failing as a `TestSetupError`.
enum Command {
    static func run(
        _ executable: String, _ arguments: [String]
    ) throws(TestSetupError) -> (status: Int32, output: String) {
        do { return try ToolProcess.run(executable, arguments) } catch { throw TestSetupError(error.description) }
    }
}

/// Fresh directories under the system's temporary directory.
enum TemporaryDirectory {
    static func make(prefix: String) throws(TestSetupError) -> String {
        var template = Array((NSTemporaryDirectory() + "/travelsense-\(prefix)-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard let created else {
            throw TestSetupError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        return String(cString: created)
    }
}
