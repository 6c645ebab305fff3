/// A parser verdict: the status the server answers and a short, client-safe reason.
/// Every verdict closes the connection, because after a framing error the next byte's meaning is unknown.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    public let detail: String

    init(_ code: Int, _ detail: String) {
        self.status = HTTPStatus(code)
        self.detail = detail
    }

    public var description: String { "\(status.code) \(detail)" }

    static func bad(_ detail: String) -> Self { Self(400, detail) }
}
