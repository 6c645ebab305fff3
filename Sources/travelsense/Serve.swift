import ArgumentParser
import Kernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `travelsense serve`: production. Configuration comes only from the environment (12-factor), and a
/// bad or missing variable stops the process before it listens (exit 2, every problem in one message).
/// Migrations are not applied here (the migration Job runs `travelsense migrate`); until they are,
/// `/readyz` answers 503.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the API (configured by environment variables; DATABASE_URL and the keys are required).",
        discussion: "Variables (each also accepts NAME_FILE):\n"
            + AppConfig.variables.map {
                "  \($0.name)\($0.defaultValue.isEmpty ? "" : " [\($0.defaultValue)]"): \($0.description)"
            }
            .joined(separator: "\n"))

    func run() throws {
        let config = try CommandSupport.loadConfig(requireDatabase: true, requireSecrets: true)
        let code = try Stack.run(config: config, listen: true)
        if code != 0 { throw ExitCode(code) }
    }
}

/// Unbuffered writes to fd 2, for messages printed before logging is set up.
enum StandardError {
    private static let writer = LogSink.fileDescriptorWriter(STDERR_FILENO)

    static func write(_ text: String) {
        Array(text.utf8).withUnsafeBytes { writer($0) }
    }
}
