import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Command-line tools the tests drive (openssl, python3): run one to completion, or read a started
/// server's report line by line.
public enum ToolProcess {
    /// Why a tool could not be started.
    public struct LaunchError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `executable` and returns its exit status and combined output (stdin is empty).
    /// - Parameter environment: added to (or, with nil values, removed from) the test process's.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String?] = [:]
    ) throws(LaunchError) -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            var merged = ProcessInfo.processInfo.environment
            for (name, value) in environment { merged[name] = value }
            process.environment = merged
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try withCleanSignalMask { try process.run() }
        } catch {
            throw LaunchError(description: "cannot run \(executable): \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The next line from `handle` without its newline; nil at end of file. Byte by byte, so nothing
    /// after the line is consumed (a server's later reports stay readable).
    public static func readLine(_ handle: FileHandle) -> String? {
        var line = Data()
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte.first == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line += byte
        }
    }

    /// Runs `body` (a spawn) with no signal blocked on this thread. A child inherits the spawning
    /// thread's mask, and tests run on Dispatch worker threads, which block nearly every signal: a
    /// shell started with SIGCHLD blocked waits forever for its background children.
    public static func withCleanSignalMask<T>(_ body: () throws -> T) rethrows -> T {
        var none = sigset_t()
        sigemptyset(&none)
        var saved = sigset_t()
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        return try body()
    }
}
