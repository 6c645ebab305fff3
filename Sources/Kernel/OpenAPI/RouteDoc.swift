/// What the OpenAPI document says about one route. Path parameters are derived from the template's
/// `{name}` segments; everything else is written here, next to the route's registration.
public struct RouteDoc: Sendable {
    public var summary: String
    public var description: String?
    public var tags: [String]
    /// Defaults to `<method>_<path words>` (e.g. `get_v1_trips_id`).
    public var operationID: String?
    /// Query and header parameters.
    public var parameters: [ParameterDoc]
    public var requestBody: RequestBodyDoc?
    /// Every response but the generic error: each operation also gets a `default` problem+json response.
    public var responses: [ResponseDoc]

    public init(
        summary: String, description: String? = nil, tags: [String] = [], operationID: String? = nil,
        parameters: [ParameterDoc] = [], requestBody: RequestBodyDoc? = nil, responses: [ResponseDoc]
    ) {
        self.summary = summary
        self.description = description
        self.tags = tags
        self.operationID = operationID
        self.parameters = parameters
        self.requestBody = requestBody
        self.responses = responses
    }
}

/// A query or header parameter.
public struct ParameterDoc: Sendable {
    public enum Location: String, Sendable {
        case query, header
    }

    public var name: String
    public var location: Location
    public var description: String?
    public var required: Bool
    public var schema: JSONValue

    public init(
        _ name: String, in location: Location = .query, description: String? = nil, required: Bool = false,
        schema: JSONValue = ["type": "string"]
    ) {
        self.name = name
        self.location = location
        self.description = description
        self.required = required
        self.schema = schema
    }
}

/// The request body: a JSON Schema (OpenAPI 3.1 uses JSON Schema 2020-12) and an optional example.
public struct RequestBodyDoc: Sendable {
    public var contentType: String
    public var schema: JSONValue
    public var example: JSONValue?
    public var required: Bool

    public init(
        contentType: String = "application/json", schema: JSONValue, example: JSONValue? = nil, required: Bool = true
    ) {
        self.contentType = contentType
        self.schema = schema
        self.example = example
        self.required = required
    }
}

/// One documented response.
public struct ResponseDoc: Sendable {
    public var status: Int
    public var description: String
    /// nil for a response without a body (204).
    public var contentType: String?
    public var schema: JSONValue?
    public var example: JSONValue?
    /// Response header name → description.
    public var headers: [(String, String)]

    public init(
        _ status: Int, _ description: String, contentType: String? = "application/json", schema: JSONValue? = nil,
        example: JSONValue? = nil, headers: [(String, String)] = []
    ) {
        self.status = status
        self.description = description
        self.contentType = contentType
        self.schema = schema
        self.example = example
        self.headers = headers
    }

    /// An error response whose body is the shared problem+json schema.
    public static func problem(_ status: Int, _ description: String, headers: [(String, String)] = []) -> ResponseDoc {
        ResponseDoc(
            status, description, contentType: OpenAPIDocument.problemContentType, schema: OpenAPIDocument.problemRef,
            headers: headers)
    }
}
