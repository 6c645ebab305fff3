import Foundation
import TestSupport

/// A GET made by `curl`, a client that is not ours, so presigned URLs are proven usable by others.
struct CurlDownload {
    let status: Int
    let headers: String
    let body: [UInt8]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `resolve` maps `host:port` to 127.0.0.1 (for `<bucket>.localhost`, which does not resolve here).
    /// `method` and `headers`/`bodyFile` let a test replay a request signed by the store.
    static func fetch(
        _ url: String, resolve: String? = nil, method: String = "GET", headers: [(String, String)] = [],
        bodyFile: String? = nil
    ) throws -> CurlDownload {
        let directory = NSTemporaryDirectory() + "curl-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var arguments = ["-s", "-S", "-g", "-X", method, "-D", directory + "/headers", "-o", directory + "/body"]
        arguments += ["-w", "%{http_code}", "--max-time", "30"]
        if let resolve { arguments += ["--resolve", "\(resolve):127.0.0.1"] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let bodyFile { arguments += ["--data-binary", "@" + bodyFile] }
        arguments.append(url)
        let result = try ToolProcess.run("/usr/bin/curl", arguments)
        guard result.status == 0, let status = Int(result.output.suffix(3)) else {
            throw Failure(description: "curl failed (\(result.status)): \(result.output)")
        }
        let headerText = (try? String(contentsOfFile: directory + "/headers", encoding: .utf8)) ?? ""
        let body = (try? Data(contentsOf: URL(fileURLWithPath: directory + "/body"))).map { [UInt8]($0) } ?? []
        return CurlDownload(status: status, headers: headerText, body: body)
    }
}
