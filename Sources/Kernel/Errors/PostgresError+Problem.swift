import HTTP
import Postgres

/// The one place SQLSTATEs become API errors (DESIGN §3). Constraint names, SQL text and row values
/// stay in the log; the client gets a status and a generic detail. Modules that can say more ("this
/// email is taken") catch the error themselves and throw their own `HTTPError`.
extension PostgresError {
    /// Seconds clients should wait when the database is unavailable.
    public static let retryAfterSeconds = 1

    /// The problem to answer with, or nil for errors that are our bug (500, logged by the caller).
    var problem: HTTPError? {
        if isUnavailable || sqlState == SQLState.queryCanceled {
            var headers = HTTPFields()
            headers.append(.retryAfter, String(Self.retryAfterSeconds))
            return HTTPError(
                .serviceUnavailable, detail: "The database is unavailable; retry shortly.", headers: headers)
        }
        switch sqlState {
        case SQLState.uniqueViolation, SQLState.exclusionViolation:
            return HTTPError(.conflict, detail: "The resource conflicts with one that already exists.")
        case SQLState.foreignKeyViolation:
            return HTTPError(.unprocessableContent, detail: "The request refers to a resource that does not exist.")
        case SQLState.serializationFailure, SQLState.deadlockDetected, SQLState.lockNotAvailable:
            return HTTPError(.conflict, detail: "The resource was changed concurrently; retry the request.")
        default:
            return nil
        }
    }
}
