import AIProxy
import Auth
import Export
import Jobs
import Kernel
import Postgres
import Trips

/// Every module's migrations, in the order they apply. A module's list only ever grows at its end;
/// new modules append theirs here after the ones they depend on.
enum AllMigrations {
    static let list: [Migration] =
        JobSchema.migrations + KernelSchema.migrations + AuthModule.migrations + TripsModule.migrations
        + ExportModule.migrations + AIProxyModule.migrations
}
