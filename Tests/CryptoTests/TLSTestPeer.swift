import Foundation
import TestSupport

/// A TLS echo server in Python's standard `ssl` module (an implementation independent of ours), with a
/// self-signed certificate for localhost and 127.0.0.1 made by the `openssl` CLI.
///
/// The server echoes what it reads; on "bye\n" it sends close_notify itself. For each connection it
/// prints how the client ended it: "clean" after a close_notify, "truncated" after a bare TCP close.
final class TLSTestPeer {
    static let script = #"""
        import signal, socket, ssl, sys
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        if sys.argv[3] == "1.2":
            context.maximum_version = ssl.TLSVersion.TLSv1_2
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        print(listener.getsockname()[1], flush=True)
        while True:
            connection, _ = listener.accept()
            try:
                stream = context.wrap_socket(connection, server_side=True)
                while True:
                    data = stream.recv(65536)
                    if not data:
                        print("clean", flush=True)
                        break
                    if data == b"bye\n":
                        stream.unwrap()
                        break
                    stream.sendall(data)
            except ssl.SSLEOFError:
                print("truncated", flush=True)
            except Exception as error:
                print("error %s" % error, flush=True)
            finally:
                connection.close()
        """#

    /// Self-signed certificate and key, made once per test process.
    static let certificate: Result<(cert: String, key: String), PeerError> = Result { () throws(PeerError) in
        let directory = NSTemporaryDirectory() + "/travelsense-tls-\(UInt64.random(in: 0...UInt64.max))"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PeerError("cannot create \(directory): \(error)")
        }
        let cert = directory + "/cert.pem"
        let key = directory + "/key.pem"
        let (status, output) = try tool(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        guard status == 0 else { throw PeerError("openssl req failed: \(output)") }
        return (cert, key)
    }

    let port: Int
    private let process: Process
    private let output: FileHandle

    /// Starts the server; `maximumVersion` "1.2" caps it at TLS 1.2.
    init(maximumVersion: String = "any") throws {
        let certificate = try Self.certificate.get()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, certificate.cert, certificate.key, maximumVersion]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        output = pipe.fileHandleForReading
        guard let line = ToolProcess.readLine(output), let port = Int(line) else {
            kill(process.processIdentifier, SIGKILL)
            throw PeerError("the Python TLS server did not start")
        }
        self.port = port
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)  // SIGKILL: Dispatch threads' children may block SIGTERM
        process.waitUntilExit()
    }

    /// The server's next report: "clean", "truncated" or "error …".
    func nextReport() -> String? { ToolProcess.readLine(output) }

    /// A TCP connection to the server.
    func connect() throws -> Int32 { try Self.connect(port: port) }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard fd >= 0, connected else { throw PeerError("connect to 127.0.0.1:\(port) failed") }
        return fd
    }

    /// A listening socket that never accepts: connections succeed and then hear nothing.
    static func silentListener() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, ok, listen(fd, 4) == 0 else { throw PeerError("listen on 127.0.0.1 failed") }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

/// `ToolProcess.run`, failing as a `PeerError`.
private func tool(_ executable: String, _ arguments: [String]) throws(PeerError) -> (status: Int32, output: String) {
    do { return try ToolProcess.run(executable, arguments) } catch { throw PeerError(error.description) }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
