/// An error that maps to a status and a problem+json body (RFC 9457). Throw it from any handler.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// One invalid input field, for validation errors that name every bad field at once.
    public struct FieldError: Sendable, Equatable, Codable {
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var status: HTTPStatus
    public var title: String
    public var detail: String?
    /// A URI naming the problem type; "about:blank" when the status says it all.
    public var type: String
    public var headers: HTTPFields
    public var errors: [FieldError]
    /// Extension members (RFC 9457 §3.2) written after the standard ones: a name and its value as
    /// encoded JSON. A module adds what its clients expect, e.g. the AI gateway's OpenAI `error` object.
    public var members: [(name: String, json: [UInt8])] = []

    public init(
        _ status: HTTPStatus, title: String? = nil, detail: String? = nil, type: String = "about:blank",
        headers: HTTPFields = HTTPFields(), errors: [FieldError] = []
    ) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.type = type
        self.headers = headers
        self.errors = errors
    }

    public var description: String { "\(status.code) \(title)\(detail.map { ": \($0)" } ?? "")" }

    /// Names an extension member may not take: they would duplicate a standard member.
    static let standardMembers: Set<String> = ["type", "title", "status", "detail", "instance", "request_id", "errors"]

    /// The problem+json response for this error.
    public func response(instance: String? = nil, requestID: String? = nil) -> Response {
        var h = headers
        h.set(.contentType, "application/problem+json")
        return Response(status: status, headers: h, body: .bytes(problemJSON(instance: instance, requestID: requestID)))
    }

    /// The RFC 9457 body: type, title, status, detail, instance, request_id and, for validation, errors.
    public func problemJSON(instance: String?, requestID: String?) -> [UInt8] {
        var j = JSONWriter()
        j.objectStart()
        j.field("type", type)
        j.field("title", title)
        j.field("status", status.code)
        if let detail { j.field("detail", detail) }
        if let instance { j.field("instance", instance) }
        if let requestID, !requestID.isEmpty { j.field("request_id", requestID) }
        if !errors.isEmpty {
            j.key("errors")
            j.arrayStart()
            for e in errors {
                j.objectStart()
                j.field("field", e.field)
                j.field("message", e.message)
                j.objectEnd()
            }
            j.arrayEnd()
        }
        for member in members where !Self.standardMembers.contains(member.name) {
            j.rawField(member.name, member.json)
        }
        j.objectEnd()
        return j.bytes
    }
}
