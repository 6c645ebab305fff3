import Foundation

/// The local LLM upstream (`Resources/fake_llm.py`): OpenAI's and Anthropic's wire formats from
/// Python's standard library, scriptable per request (errors, `Retry-After`, drops, delays, malformed
/// JSON, tool calls). One process per instance; killed on deinit.
public final class FakeLLM: @unchecked Sendable {  // immutable after init
    public let port: Int
    /// `http://127.0.0.1:PORT/v1` (or https with `tls`).
    public let baseURL: String
    private let process: Process

    /// The script's path in the source tree.
    public static let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources/fake_llm.py").path

    /// - Parameters:
    ///   - key: the API key it demands (`Authorization: Bearer`, or `x-api-key` on /v1/messages).
    ///   - tls: a certificate chain and key file: serve https instead.
    ///   - host: the host name put in `baseURL` (with tls, the name the client must verify).
    public init(key: String? = nil, tls: (cert: String, key: String)? = nil, host: String = "127.0.0.1") throws {
        var arguments = [Self.scriptPath]
        if let key { arguments += ["--key", key] }
        if let tls { arguments += ["--tls", tls.cert, tls.key] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PythonScript.interpreter)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try ToolProcess.withCleanSignalMask { try process.run() }
        guard let line = ToolProcess.readLine(pipe.fileHandleForReading), let port = Int(line) else {
            kill(process.processIdentifier, SIGKILL)
            throw PythonScript.Failure(description: "fake_llm.py did not start")
        }
        self.process = process
        self.port = port
        baseURL = "\(tls == nil ? "http" : "https")://\(host):\(port)/v1"
    }

    deinit { kill(process.processIdentifier, SIGKILL) }

    /// Queues steps (see the script's header); each chat request consumes one.
    public func script(_ steps: [[String: Any]]) throws {
        _ = try control("POST", "/__script", body: JSONSerialization.data(withJSONObject: steps))
    }

    /// Every chat/messages request received so far: `path`, `headers` (lower-case names), `body`,
    /// `aborted` (the client went away mid-stream).
    public func requests() throws -> [[String: Any]] {
        let data = try control("GET", "/__requests", body: nil)
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }

    /// Forgets the script and the recorded requests.
    public func reset() throws { _ = try control("POST", "/__reset", body: Data("{}".utf8)) }

    /// A plain-socket HTTP/1.1 exchange with the control routes (so a tls instance cannot be scripted).
    private func control(_ method: String, _ path: String, body: Data?) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PythonScript.Failure(description: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw PythonScript.Failure(description: "cannot reach fake_llm.py") }
        let payload = body ?? Data()
        var request = Data(
            "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(payload.count)\r\n\r\n"
                .utf8)
        request.append(payload)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        guard let split = response.range(of: Data("\r\n\r\n".utf8)) else {
            throw PythonScript.Failure(description: "no response from fake_llm.py")
        }
        return response[split.upperBound...]
    }
}
