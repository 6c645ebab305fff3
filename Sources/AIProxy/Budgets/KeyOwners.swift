import Foundation
import Postgres

/// Who owns an API key, for `PUT /v1/ai/budgets/keys/{id}`.
///
/// This reads Auth's `api_keys` table, the one place AIProxy does (DESIGN §1 wants a module's public
/// service instead): the gateway is handed only `Services`, and Auth exposes no key lookup there.
/// When Auth offers one through Kernel, this enum is the only thing to replace.
enum KeyOwners {
    /// The owner of a live (not revoked) key, or nil.
    static func owner(of keyID: UUID, pool: PostgresPool) throws -> UUID? {
        let rows = try pool.query("SELECT user_id FROM api_keys WHERE id = $1 AND revoked_at IS NULL", [keyID])
        return rows.isEmpty ? nil : try rows[0].decode(0, as: UUID.self)
    }
}
