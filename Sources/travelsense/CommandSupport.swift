import ArgumentParser
import Kernel

/// What every command does the same way: read the configuration (exit 2 naming each bad variable) and
/// say so on stderr.
enum CommandSupport {
    static func loadConfig(requireDatabase: Bool) throws -> AppConfig {
        do {
            return try AppConfig.load(from: Environment.current(), requireDatabase: requireDatabase)
        } catch {
            StandardError.write("travelsense: \(error.description)\n")
            throw ExitCode(2)
        }
    }
}
