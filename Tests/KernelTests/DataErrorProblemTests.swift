import HTTP
import Logging
import Postgres
import Redis
import Testing

@testable import Kernel

/// SQLSTATEs and connection failures become API errors in one place, and never leak SQL or row data.
@Suite struct DataErrorProblemTests {
    func respond(_ error: any Error) -> (Response, LogCapture) {
        let capture = LogCapture()
        let logger = Logger(label: "errors") { LineLogHandler(label: $0, sink: capture.sink) }
        var request = Request(method: .get, target: "/v1/trips/1")
        request.requestID = "req-db"
        let handler = ([ErrorMiddleware(logger: logger)] as [any Middleware]).wrapping { _ in throw error }
        let response = (try? handler(request)) ?? Response(status: .ok)
        return (response, capture)
    }

    static func server(_ state: String) -> PostgresError {
        .server(
            .init(
                sqlState: state, message: "secret row value 'alice@example.com' in users_email_key",
                constraint: "users_email_key", table: "users"))
    }

    @Test func unreachableDatabaseIs503WithRetryAfter() {
        for error in [
            PostgresError.connection("could not connect to server at 10.0.0.5"), .poolTimeout, Self.server("57P01"),
        ] {
            let (r, capture) = respond(error)
            #expect(r.status == .serviceUnavailable, "\(error)")
            #expect(r.headers[.retryAfter] == "1")
            #expect(r.headers[.contentType] == "application/problem+json")
            #expect(!r.bodyString.contains("10.0.0.5"))
            #expect(capture.lines.contains { $0.contains("database unavailable") })
        }
    }

    @Test func constraintClassesMapToClientErrorsWithoutDetails() {
        for (state, status) in [
            (SQLState.uniqueViolation, HTTPStatus.conflict), (SQLState.foreignKeyViolation, .unprocessableContent),
            (SQLState.serializationFailure, .conflict),
        ] {
            let (r, _) = respond(Self.server(state))
            #expect(r.status == status, "\(state)")
            #expect(!r.bodyString.contains("alice"))
            #expect(!r.bodyString.contains("users_email_key"))
        }
    }

    @Test func anythingElseIs500AndOnlyTheLogSaysWhat() {
        let (r, capture) = respond(Self.server("42P01"))
        #expect(r.status == .internalServerError)
        #expect(!r.bodyString.contains("alice"))
        #expect(capture.lines.contains { $0.contains("42P01") })
    }

    @Test func unreachableRedisIs503() {
        let (r, _) = respond(RedisError.connection("connection refused"))
        #expect(r.status == .serviceUnavailable)
        #expect(r.headers[.retryAfter] == "1")
    }
}
