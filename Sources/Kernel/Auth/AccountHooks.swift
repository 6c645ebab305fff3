import Foundation
import Postgres
import Synchronization

/// What other modules do when an account event happens, inside Auth's transaction for it: on
/// deletion Trips hands each owned trip to a co-owner or deletes it; on registration it turns pending
/// invitations into memberships. A hook that throws rolls the event back, so an account is never half
/// deleted or half created.
public final class AccountHooks<Event: Sendable>: Sendable {
    public typealias Hook = @Sendable (_ event: Event, _ connection: PostgresConnection) throws -> Void

    // Registered at start-up, read at each event.
    private let hooks = Mutex<[(name: String, run: Hook)]>([])

    public init() {}

    /// Adds a hook; hooks run in registration order.
    public func register(_ name: String, _ hook: @escaping Hook) {
        hooks.withLock { $0.append((name, hook)) }
    }

    public var names: [String] { hooks.withLock { $0.map(\.name) } }

    /// Runs every hook on `connection` (inside the caller's transaction).
    public func run(_ event: Event, on connection: PostgresConnection) throws {
        for hook in hooks.withLock({ $0 }) { try hook.run(event, connection) }
    }
}

/// Deletion hooks receive the deleted user's id.
public typealias AccountDeletionHooks = AccountHooks<UUID>

/// A newly registered account: its id and its normalised (trimmed, lower-cased) e-mail address.
public struct RegisteredAccount: Sendable {
    public let userID: UUID
    public let email: String

    public init(userID: UUID, email: String) {
        self.userID = userID
        self.email = email
    }
}

public typealias AccountRegistrationHooks = AccountHooks<RegisteredAccount>
