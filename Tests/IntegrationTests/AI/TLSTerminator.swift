import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A test CA made with the `openssl` CLI, a server certificate it signed for the DNS name `localhost`
/// only, and real nginx terminating TLS with it in front of a plain-HTTP upstream (`FakeLLM`), so a
/// provider's https call goes through an independent TLS implementation.
final class TLSTerminator {
    let port: Int
    let directory: String
    /// The CA certificate to trust (`AI_CA_FILE`).
    var caFile: String { directory + "/ca.pem" }
    private let process = Process()

    init(upstreamPort: Int) throws {
        guard let nginx = NginxProcess.binary else {
            throw TestFailure("nginx is not installed (make deps installs it)")
        }
        port = try ChildServer.freePort()
        directory = NSTemporaryDirectory() + "travelsense-ai-tls-\(getpid())-\(port)"
        try FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)
        try makeCertificates()
        try config(upstreamPort: upstreamPort).write(
            toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", directory + "/", "-c", directory + "/nginx.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ToolProcess.withCleanSignalMask { try process.run() }
        let port = self.port
        guard eventually(seconds: 10, { (try? RawClient(port: port, timeout: .seconds(1))) != nil }) else {
            stop()
            let log = (try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? ""
            throw TestFailure("nginx did not start: \(log)")
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private func openssl(_ arguments: [String]) throws {
        let (status, output) = try ToolProcess.run("/usr/bin/openssl", arguments)
        guard status == 0 else { throw TestFailure("openssl \(arguments.first ?? "") failed: \(output)") }
    }

    private func makeCertificates() throws {
        let d = directory
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try openssl(
            ["req", "-x509"] + curve + [
                "-keyout", d + "/ca.key", "-out", d + "/ca.pem", "-days", "2", "-subj", "/CN=TravelSense Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        try openssl(
            ["req"] + curve + ["-keyout", d + "/server.key", "-out", d + "/server.csr", "-subj", "/CN=localhost"])
        try "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".write(
            toFile: d + "/server.ext", atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca.key", "-CAcreateserial",
            "-out", d + "/server.pem", "-days", "2", "-extfile", d + "/server.ext",
        ])
    }

    /// One process (no master), everything inside the prefix; `proxy_buffering off` so events reach
    /// the client as the upstream sends them.
    private func config(upstreamPort: Int) -> String {
        let d = directory
        return """
            daemon off;
            master_process off;
            pid \(d)/nginx.pid;
            error_log \(d)/error.log warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(d)/tmp/body;
                proxy_temp_path \(d)/tmp/proxy;
                fastcgi_temp_path \(d)/tmp/fastcgi;
                uwsgi_temp_path \(d)/tmp/uwsgi;
                scgi_temp_path \(d)/tmp/scgi;
                server {
                    listen 127.0.0.1:\(port) ssl;
                    ssl_certificate \(d)/server.pem;
                    ssl_certificate_key \(d)/server.key;
                    location / {
                        proxy_pass http://127.0.0.1:\(upstreamPort);
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_buffering off;
                    }
                }
            }
            """
    }
}
