import HTTP

/// Builds the OpenAPI 3.1 document from the router's routes and their `RouteDoc`s. A route registered
/// on the router without documentation still appears (with a generated summary), so the document
/// always lists every route that exists.
public enum OpenAPIDocument {
    public static let version = "3.1.0"
    public static let problemContentType = "application/problem+json"
    public static let problemRef: JSONValue = ["$ref": "#/components/schemas/Problem"]

    /// The RFC 9457 body every error response has (see `HTTPError.problemJSON`).
    public static let problemSchema: JSONValue = [
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status"],
        "properties": [
            "type": [
                "type": "string", "format": "uri-reference",
                "description": "Problem type; about:blank when the status says it all.",
            ],
            "title": ["type": "string"],
            "status": ["type": "integer", "minimum": 100, "maximum": 599],
            "detail": ["type": "string"],
            "instance": ["type": "string", "description": "The request path."],
            "request_id": ["type": "string", "description": "Echo of X-Request-ID."],
            "errors": [
                "type": "array",
                "description": "For validation errors: every invalid field.",
                "items": [
                    "type": "object",
                    "required": ["field", "message"],
                    "properties": ["field": ["type": "string"], "message": ["type": "string"]],
                ],
            ],
        ],
    ]

    /// OpenAPI's order of operations within a path item.
    private static let methodOrder: [HTTPMethod] = [.get, .put, .post, .delete, .options, .head, .patch]

    public static func build(
        title: String, version: String, description: String?, routes: [RouteInfo], docs: [Routes.Key: RouteDoc]
    ) -> JSONValue {
        var byPath: [String: [RouteInfo]] = [:]
        for r in routes { byPath[r.path, default: []].append(r) }
        var paths: [(String, JSONValue)] = []
        for path in byPath.keys.sorted() {
            let here = byPath[path] ?? []
            var item: [(String, JSONValue)] = []
            for method in methodOrder {
                guard let route = here.first(where: { $0.method == method }) else { continue }
                item.append(
                    (method.description.lowercased(), operation(route, docs[Routes.Key(method: method, path: path)])))
            }
            paths.append((path, .object(item)))
        }
        var info: [(String, JSONValue)] = [("title", .string(title)), ("version", .string(version))]
        if let description { info.append(("description", .string(description))) }
        return [
            "openapi": .string(Self.version),
            "info": .object(info),
            "paths": .object(paths),
            "components": ["schemas": ["Problem": problemSchema]],
        ]
    }

    static func operation(_ route: RouteInfo, _ doc: RouteDoc?) -> JSONValue {
        let doc = doc ?? RouteDoc(summary: "\(route.method) \(route.path)", responses: [])
        var op: [(String, JSONValue)] = [
            ("operationId", .string(doc.operationID ?? operationID(route))),
            ("summary", .string(doc.summary)),
        ]
        if let d = doc.description { op.append(("description", .string(d))) }
        if !doc.tags.isEmpty { op.append(("tags", .array(doc.tags.map { .string($0) }))) }

        var parameters: [JSONValue] = pathParameters(route.path).map { name in
            ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]]
        }
        for p in doc.parameters {
            var fields: [(String, JSONValue)] = [("name", .string(p.name)), ("in", .string(p.location.rawValue))]
            if let d = p.description { fields.append(("description", .string(d))) }
            fields.append(("required", .bool(p.required)))
            fields.append(("schema", p.schema))
            parameters.append(.object(fields))
        }
        if !parameters.isEmpty { op.append(("parameters", .array(parameters))) }

        if let body = doc.requestBody {
            var media: [(String, JSONValue)] = [("schema", body.schema)]
            if let example = body.example { media.append(("example", example)) }
            op.append(
                (
                    "requestBody",
                    ["required": .bool(body.required), "content": .object([(body.contentType, .object(media))])]
                ))
        }

        var responses: [(String, JSONValue)] = doc.responses.map { (String($0.status), response($0)) }
        responses.append(("default", response(.problem(0, "Error (problem details, RFC 9457)."))))
        op.append(("responses", .object(responses)))
        return .object(op)
    }

    static func response(_ r: ResponseDoc) -> JSONValue {
        var fields: [(String, JSONValue)] = [("description", .string(r.description))]
        if !r.headers.isEmpty {
            fields.append(
                (
                    "headers",
                    .object(r.headers.map { ($0.0, ["description": .string($0.1), "schema": ["type": "string"]]) })
                ))
        }
        if let contentType = r.contentType {
            var media: [(String, JSONValue)] = []
            if let schema = r.schema { media.append(("schema", schema)) }
            if let example = r.example { media.append(("example", example)) }
            fields.append(("content", .object([(contentType, .object(media))])))
        }
        return .object(fields)
    }

    /// The `{name}` parameters of a template, in order (`/trips/{id}/export.{format}` → id, format).
    static func pathParameters(_ template: String) -> [String] {
        var names: [String] = []
        for segment in template.split(separator: "/") {
            guard let open = segment.firstIndex(of: "{"), let close = segment[open...].firstIndex(of: "}") else {
                continue
            }
            names.append(String(segment[segment.index(after: open)..<close]))
        }
        return names
    }

    /// `get_v1_trips_id` for `GET /v1/trips/{id}`; `get_root` for `/`.
    static func operationID(_ route: RouteInfo) -> String {
        let words = route.path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        return route.method.description.lowercased() + "_" + (words.isEmpty ? "root" : words.joined(separator: "_"))
    }
}
