import HTTP
import HTTPClient
import Testing

/// A client with test-friendly limits; `configure` adjusts the rest.
func makeClient(_ configure: (inout HTTPClientConfiguration) -> Void = { _ in }) throws -> HTTPClient {
    var configuration = HTTPClientConfiguration()
    configuration.connectTimeout = .seconds(5)
    configuration.timeout = .seconds(10)
    configure(&configuration)
    return try HTTPClient(configuration: configuration)
}

/// `GET url` through `client`.
func get(_ client: HTTPClient, _ url: String, headers: HTTPFields = HTTPFields()) throws -> HTTPClientResponse {
    try client.execute(HTTPClientRequest(url: url, headers: headers))
}

/// The `HTTPClientError` that `body` throws, or nil (recorded as a test issue) when it throws none.
func clientError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> HTTPClientError? {
    do {
        try body()
    } catch let error as HTTPClientError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
    Issue.record("no error thrown", sourceLocation: sourceLocation)
    return nil
}

/// The reason of a `malformedResponse`, or nil for any other error.
func malformedReason(_ error: HTTPClientError?) -> String? {
    if case .malformedResponse(let reason) = error { return reason }
    return nil
}
