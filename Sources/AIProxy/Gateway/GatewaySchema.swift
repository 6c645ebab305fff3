import Postgres

/// The gateway's tables (usage rows, budgets).
enum GatewaySchema {
    static let migrations: [Migration] = []
}
