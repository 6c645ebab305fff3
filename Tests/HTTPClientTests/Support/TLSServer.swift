import Foundation
import TestSupport

/// An https server in Python's standard library (`http.server` behind `ssl`, an implementation
/// independent of ours) with a self-signed certificate for the DNS name `localhost` only, made by the
/// `openssl` CLI. `GET` answers JSON `{"path": …, "port": <client port>}` with keep-alive.
final class TLSServer {
    static let script = #"""
        import http.server, json, signal, ssl, sys
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                body = json.dumps({"path": self.path, "port": self.client_address[1]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    /// Certificate and key, made once per test process.
    static let certificate: Result<(cert: String, key: String), TestFailure> = Result { () throws(TestFailure) in
        let directory = NSTemporaryDirectory() + "/travelsense-httpclient-\(UInt64.random(in: 0...UInt64.max))"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TestFailure("cannot create \(directory): \(error)")
        }
        let cert = directory + "/cert.pem"
        let key = directory + "/key.pem"
        let (status, output): (status: Int32, output: String)
        do {
            (status, output) = try ToolProcess.run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                ])
        } catch {
            throw TestFailure("\(error)")
        }
        guard status == 0 else { throw TestFailure("openssl req failed: \(output)") }
        return (cert, key)
    }

    let port: Int
    private let process: Process

    init() throws {
        let certificate = try Self.certificate.get()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, certificate.cert, certificate.key]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice  // failed handshakes print tracebacks
        process.standardInput = FileHandle.nullDevice
        try process.run()
        guard let line = ToolProcess.readLine(pipe.fileHandleForReading), let port = Int(line) else {
            kill(process.processIdentifier, SIGKILL)
            throw TestFailure("the Python https server did not start")
        }
        self.port = port
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)  // SIGKILL: Dispatch threads' children may block SIGTERM
        process.waitUntilExit()
    }
}
