import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A process that runs background services without an HTTP listener (`travelsense work`): starts
/// them, waits for SIGTERM/SIGINT, then stops them within the grace period.
public struct BackgroundProcess: Sendable {
    let config: AppConfig
    let services: [any BackgroundService]
    let logger: Logger

    public init(config: AppConfig, services: [any BackgroundService], logger: Logger) {
        self.config = config
        self.services = services
        self.logger = logger
    }

    /// The exit code: 0 after a clean stop, 1 when a service could not start or did not drain in time.
    public func run() -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        for service in services {
            do {
                try service.start()
                logger.info("started", metadata: ["service": .string(service.name)])
            } catch {
                logger.critical(
                    "cannot start", metadata: ["service": .string(service.name), "error": .string("\(error)")])
                LoggingBootstrap.flush()
                return 1
            }
        }
        let received = signals.wait()
        logger.info("shutting down", metadata: ["signal": .string(SignalWaiter.name(received))])
        var clean = true
        for service in services where !service.stop(grace: config.gracePeriod) { clean = false }
        logger.info(clean ? "stopped" : "stopped with work abandoned after the grace period")
        LoggingBootstrap.flush()
        return clean ? 0 : 1
    }
}
