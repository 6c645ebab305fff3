import Postgres

/// Planning's tables (generation requests, proposals).
enum PlanningSchema {
    static let migrations: [Migration] = []
}
