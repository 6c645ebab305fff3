import ArgumentParser
import Kernel

/// What every command does the same way: read the configuration (exit 2 naming each bad variable) and
/// say so on stderr.
enum CommandSupport {
    /// `serve` and `work` require the database and the keys (`dev` brings its own; `migrate` and
    /// `admin` need no keys).
    static func loadConfig(requireDatabase: Bool, requireSecrets: Bool = false) throws -> AppConfig {
        do {
            return try AppConfig.load(
                from: Environment.current(), requireDatabase: requireDatabase, requireSecrets: requireSecrets)
        } catch {
            StandardError.write("travelsense: \(error.description)\n")
            throw ExitCode(2)
        }
    }
}
