import Foundation
import HTTP
import Kernel
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Collects what a `LogSink` writes, split into lines.
final class LogCapture: Sendable {
    let sink: LogSink
    private let bytesRef: ByteBox

    init() {
        let box = ByteBox()
        bytesRef = box
        sink = LogSink(writer: { chunk in box.append(contentsOf: chunk) }, flushInterval: nil)
    }

    var lines: [String] {
        sink.flush()
        return String(decoding: bytesRef.snapshot, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Each line parsed as a JSON object.
    var objects: [[String: Any]] {
        lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

final class ByteBox: Sendable {
    // Appended by the sink's flush, read by the test.
    private let value = Mutex<[UInt8]>([])
    func append(contentsOf chunk: UnsafeRawBufferPointer) { value.withLock { $0.append(contentsOf: chunk) } }
    var snapshot: [UInt8] { value.withLock { $0 } }
}

extension Response {
    var bodyBytes: [UInt8] {
        if case .bytes(let b) = body { return b }
        return []
    }

    var bodyString: String { String(decoding: bodyBytes, as: UTF8.self) }

    var json: [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(bodyBytes)) as? [String: Any]
    }
}

/// A minimal HTTP/1.1 client over a blocking socket: one request with `Connection: close`, read to EOF.
enum RawHTTP {
    struct Reply {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    static func get(port: Int, _ path: String, headers: [String: String] = [:]) throws -> Reply {
        try request("GET", port: port, path, headers: headers)
    }

    static func request(
        _ method: String, port: Int, _ path: String, headers: [String: String] = [:], body: String = ""
    ) throws -> Reply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (k, v) in headers { request += "\(k): \(v)\r\n" }
        request += "\r\n" + body
        let out = Array(request.utf8)
        _ = out.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw POSIXError(.EBADMSG) }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Reply(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}

/// An application on an ephemeral port with a capturing log sink.
func startTestApplication(
    accessLog: Bool = true, readiness: Readiness = Readiness(), corsOrigins: [String] = [],
    register: (inout Routes) -> Void = { _ in }
) throws -> (Application, LogCapture) {
    var config = AppConfig()
    config.corsOrigins = corsOrigins
    config.host = "127.0.0.1"
    config.port = 0
    config.accessLog = accessLog
    config.handlerThreads = 2
    config.ioQueues = 1
    config.gracePeriod = .seconds(2)
    let capture = LogCapture()
    let app = Application(config: config, readiness: readiness, logSink: capture.sink, register: register)
    try app.start()
    return (app, capture)
}
