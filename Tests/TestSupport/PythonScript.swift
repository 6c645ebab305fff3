import Foundation

/// Debian's Python (`/usr/bin/python3`, where the apt packages the tests rely on live: icalendar, pypdf,
/// PyJWT) run on a script and one input file, its standard output parsed as one JSON object: how the
/// tests ask an independent implementation what it made of our output.
public enum PythonScript {
    public static let interpreter = "/usr/bin/python3"

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `input` and `script` to a temporary directory, runs `python3 script input`, and decodes
    /// what it printed.
    public static func json(_ script: String, input: [UInt8]) throws -> [String: Any] {
        let directory = NSTemporaryDirectory() + "python-\(UUID())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(input).write(to: URL(fileURLWithPath: directory + "/input"))
        try Data(script.utf8).write(to: URL(fileURLWithPath: directory + "/script.py"))
        let run = try ToolProcess.run(interpreter, [directory + "/script.py", directory + "/input"])
        guard run.status == 0 else { throw Failure(description: "python exited \(run.status): \(run.output)") }
        guard let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any] else {
            throw Failure(description: "python printed no JSON object: \(run.output)")
        }
        return object
    }
}
