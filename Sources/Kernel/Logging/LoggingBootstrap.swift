import Logging
import Synchronization

/// Installs `LineLogHandler` as swift-log's backend.
///
/// swift-log allows one `LoggingSystem.bootstrap` per process, but tests start several applications
/// with different settings; so the backend is installed once and later calls only change the settings
/// that loggers created afterwards pick up.
public enum LoggingBootstrap {
    struct Settings: Sendable {
        var level: Logger.Level = .info
        var format: LogFormat = .json
        var sink: LogSink = .standardOutput
    }

    // Read whenever a Logger is created, written by each bootstrap call.
    private static let settings = Mutex(Settings())

    // swift_once-guarded: the real bootstrap runs at most once per process.
    private static let installed: Bool = {
        LoggingSystem.bootstrap { label in
            let s = settings.withLock { $0 }
            return LineLogHandler(label: label, level: s.level, format: s.format, sink: s.sink)
        }
        return true
    }()

    /// Sets the level, format and sink for loggers created from now on; safe to call repeatedly.
    public static func bootstrap(level: Logger.Level, format: LogFormat, sink: LogSink = .standardOutput) {
        settings.withLock { $0 = Settings(level: level, format: format, sink: sink) }
        _ = installed
    }

    /// The sink loggers currently write to.
    public static var sink: LogSink { settings.withLock { $0.sink } }

    /// Writes out buffered lines (shutdown, or before the process exits with an error).
    public static func flush() {
        sink.flush()
    }
}
