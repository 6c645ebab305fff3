import Foundation
import HTTP
import Logging
import Testing

@testable import Kernel

@Suite struct ErrorMiddlewareTests {
    struct Trip: Decodable {
        struct Stop: Decodable {
            let name: String
            let startDate: String
        }
        let title: String
        let budget: Int
        let stops: [Stop]
    }

    private func respond(_ capture: LogCapture, _ handler: @escaping Handler) throws -> Response {
        let logger = Logger(label: "errors") { LineLogHandler(label: $0, sink: capture.sink) }
        var request = Request(method: .post, target: "/v1/trips?draft=1")
        request.requestID = "req-9"
        return try ([ErrorMiddleware(logger: logger)] as [any Middleware]).wrapping(handler)(request)
    }

    @Test func httpErrorBecomesItsProblem() throws {
        let capture = LogCapture()
        var h = HTTPFields()
        h.append(.wwwAuthenticate, "Bearer")
        let headers = h
        let r = try respond(capture) { _ in
            throw HTTPError(
                .unauthorized, detail: "token expired", type: "https://travelsense.dev/problems/token", headers: headers
            )
        }
        #expect(r.status == .unauthorized)
        #expect(r.headers[.contentType] == "application/problem+json")
        #expect(r.headers[.wwwAuthenticate] == "Bearer")
        let body = try #require(r.json)
        #expect(body["status"] as? Int == 401)
        #expect(body["title"] as? String == "Unauthorized")
        #expect(body["detail"] as? String == "token expired")
        #expect(body["type"] as? String == "https://travelsense.dev/problems/token")
        #expect(body["instance"] as? String == "/v1/trips")
        #expect(body["request_id"] as? String == "req-9")
        #expect(capture.lines.isEmpty)
    }

    @Test func validationErrorsListEveryField() throws {
        let capture = LogCapture()
        let r = try respond(capture) { _ in
            throw HTTPError(
                .unprocessableContent, detail: "2 invalid fields",
                errors: [
                    .init(field: "title", message: "is required"), .init(field: "budget", message: "must be positive"),
                ])
        }
        let errors = try #require(r.json?["errors"] as? [[String: String]])
        #expect(
            errors == [
                ["field": "title", "message": "is required"], ["field": "budget", "message": "must be positive"],
            ])
    }

    @Test(arguments: [
        (
            #"{"title":"x","budget":1,"stops":[{"name":"a","startDate":"d"},{"name":"b"}]}"#, "stops[1].start_date",
            "is required"
        ),
        (#"{"title":"x","budget":"ten","stops":[]}"#, "budget", "must be an integer"),
        (#"{"title":null,"budget":1,"stops":[]}"#, "title", "must not be null"),
        (#"{"title":"x","budget":1,"stops":{}}"#, "stops", "must be an array"),
    ])
    func decodingErrorNamesTheField(json: String, field: String, message: String) throws {
        let capture = LogCapture()
        let r = try respond(capture) { request in
            _ = try JSONDecoder().decode(Trip.self, from: Data(json.utf8))
            return Response(status: .ok)
        }
        #expect(r.status == .badRequest)
        #expect(r.headers[.contentType] == "application/problem+json")
        let body = try #require(r.json)
        #expect(body["request_id"] as? String == "req-9")
        let errors = try #require(body["errors"] as? [[String: String]])
        #expect(errors == [["field": field, "message": message]])
        #expect((body["detail"] as? String)?.contains(field) == true)
        #expect(!r.bodyString.contains("Trip"), "no Swift type names")
    }

    @Test func malformedJSONIs400() throws {
        let r = try respond(LogCapture()) { _ in
            _ = try JSONDecoder().decode(Trip.self, from: Data("{nope".utf8))
            return Response(status: .ok)
        }
        #expect(r.status == .badRequest)
        #expect(r.json?["detail"] as? String == "The request body is not valid JSON.")
    }

    struct DatabaseExploded: Error, CustomStringConvertible {
        var description: String { "SELECT * FROM users WHERE password = 'hunter2' at /srv/app/Store.swift:42" }
    }

    @Test func anythingElseIsAGeneric500AndLogged() throws {
        let capture = LogCapture()
        let r = try respond(capture) { _ in throw DatabaseExploded() }
        #expect(r.status == .internalServerError)
        #expect(r.headers[.contentType] == "application/problem+json")
        let text = r.bodyString
        #expect(
            !text.contains("hunter2") && !text.contains("SELECT") && !text.contains("Store.swift")
                && !text.contains("DatabaseExploded"))
        let body = try #require(r.json)
        #expect(body["status"] as? Int == 500)
        #expect(body["detail"] as? String == ErrorMiddleware.internalDetail)
        #expect(body["request_id"] as? String == "req-9")
        let log = try #require(capture.objects.first)
        #expect(log["level"] as? String == "error")
        #expect(log["request_id"] as? String == "req-9")
        #expect((log["error"] as? String)?.contains("SELECT") == true, "the log keeps the detail for operators")
    }
}
