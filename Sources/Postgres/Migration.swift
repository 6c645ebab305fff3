/// One schema change. Modules contribute theirs as `[Migration]`; the process applies every module's
/// list in a fixed order (the order the executable concatenates them), each exactly once.
///
/// `id` is unique across modules and never changes (`jobs_0001_queue`); `sql` may hold several
/// statements and runs inside one transaction with its bookkeeping row. Once applied, a migration's
/// SQL must not be edited: its checksum is recorded and a mismatch stops the process.
public struct Migration: Sendable, Equatable {
    public let id: String
    public let sql: String

    public init(id: String, sql: String) {
        self.id = id
        self.sql = sql
    }
}
