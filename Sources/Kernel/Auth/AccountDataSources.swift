import Foundation
import Postgres
import Synchronization

/// "Everything stored about an account" (GDPR access, `POST /v1/me/export`), gathered from the modules
/// that own it: each registers a named section at start-up and renders it as a JSON document from its
/// own tables. Export collects them without knowing any module's tables (DESIGN §1).
public final class AccountDataSources: Sendable {
    /// One section: the account's data from the source's own tables, as a JSON document.
    public typealias Source = @Sendable (_ userID: UUID, _ connection: PostgresConnection) throws -> [UInt8]

    // Registered at start-up, read at each export.
    private let sources = Mutex<[(name: String, read: Source)]>([])

    public init() {}

    /// Adds a section; `name` becomes its file name in the archive (`account` → `account.json`), so it
    /// is a lower-case word, unique across modules.
    public func register(_ name: String, _ source: @escaping Source) {
        precondition(name.allSatisfy { $0.isASCII && ($0.isLowercase || $0 == "_") }, "section name \(name)")
        sources.withLock { list in
            precondition(!list.contains { $0.name == name }, "section \(name) registered twice")
            list.append((name, source))
        }
    }

    public var names: [String] { sources.withLock { $0.map(\.name) } }

    /// Every section for `userID`, in registration order, read on `connection` (one snapshot when the
    /// caller runs this in a repeatable-read transaction).
    public func collect(_ userID: UUID, on connection: PostgresConnection) throws -> [(name: String, json: [UInt8])] {
        try sources.withLock { $0 }.map { ($0.name, try $0.read(userID, connection)) }
    }
}
