#if canImport(Glibc)
    import Glibc
#endif

/// How a transaction runs: its isolation level and whether serialization failures (40001) and
/// deadlocks (40P01) re-run the whole body. Only opt in when the body has no side effects outside the
/// database (no mail sent, no HTTP call), since it may run more than once.
public struct TransactionOptions: Sendable {
    public enum Isolation: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    public var isolation: Isolation = .readCommitted
    /// Extra attempts after a transient failure (0 = none).
    public var retries = 0

    public init(isolation: Isolation = .readCommitted, retries: Int = 0) {
        self.isolation = isolation
        self.retries = retries
    }
}

extension PostgresConnection {
    /// Runs `body` inside `BEGIN … COMMIT`; any thrown error rolls back and is rethrown. With
    /// `options.retries`, a serialization failure or deadlock — from the body or from COMMIT — starts
    /// the transaction again after a short randomised pause.
    public func transaction<T>(
        _ options: TransactionOptions = TransactionOptions(), _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        var attempt = 0
        while true {
            do {
                try simpleQuery(
                    options.isolation == .readCommitted
                        ? "BEGIN" : "BEGIN ISOLATION LEVEL \(options.isolation.rawValue)")
                let value = try body(self)
                try simpleQuery("COMMIT")
                return value
            } catch {
                if !isBroken && !isIdle { try? simpleQuery("ROLLBACK") }
                guard let pgError = error as? PostgresError, pgError.isTransient, attempt < options.retries,
                    !isBroken
                else { throw error }
                attempt += 1
                // Desynchronise the competitors that collided: 1–5 ms, growing with the attempt.
                usleep(UInt32.random(in: 1_000...5_000) * UInt32(attempt))
            }
        }
    }
}

extension PostgresPool {
    /// `transaction` on a pooled connection.
    public func transaction<T>(
        _ options: TransactionOptions = TransactionOptions(), _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        try withConnection { try $0.transaction(options, body) }
    }
}
