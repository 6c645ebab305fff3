import Foundation
import Postgres
import Synchronization

/// What other modules do when an account is deleted, inside Auth's deletion transaction: Trips hands
/// each trip the user owns to a co-owner or deletes it. A hook that throws rolls the deletion back, so
/// an account is never half deleted.
public final class AccountDeletionHooks: Sendable {
    public typealias Hook = @Sendable (_ userID: UUID, _ connection: PostgresConnection) throws -> Void

    // Registered at start-up, read at each deletion.
    private let hooks = Mutex<[(name: String, run: Hook)]>([])

    public init() {}

    /// Adds a hook; hooks run in registration order.
    public func register(_ name: String, _ hook: @escaping Hook) {
        hooks.withLock { $0.append((name, hook)) }
    }

    public var names: [String] { hooks.withLock { $0.map(\.name) } }

    /// Runs every hook on `connection` (inside the caller's transaction).
    public func run(userID: UUID, on connection: PostgresConnection) throws {
        for hook in hooks.withLock({ $0 }) { try hook.run(userID, connection) }
    }
}
