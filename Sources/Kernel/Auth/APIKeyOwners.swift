import Foundation
import Synchronization

/// Who owns an API key, for modules that manage something per key (AI budgets) without reading Auth's
/// tables (DESIGN §1): Auth registers the lookup at start-up.
public final class APIKeyOwners: Sendable {
    public typealias Lookup = @Sendable (_ keyID: UUID) throws -> UUID?

    // Set once at start-up, read per request.
    private let lookup = Mutex<Lookup?>(nil)

    public init() {}

    public func register(_ lookup: @escaping Lookup) {
        self.lookup.withLock { $0 = lookup }
    }

    /// The owner of a live (not revoked) key; nil for an unknown or revoked key, or when no module
    /// registered a lookup.
    public func owner(of keyID: UUID) throws -> UUID? {
        guard let lookup = lookup.withLock({ $0 }) else { return nil }
        return try lookup(keyID)
    }
}
