import HTTP

extension DecodingError {
    /// A 400 problem naming the field that failed to decode, in the API's snake_case and with array
    /// indices (`items[2].start_date`), without Swift type names or decoder internals.
    public var problem: HTTPError {
        let (path, message): (String, String)
        switch self {
        case .keyNotFound(let key, let context):
            (path, message) = (Self.fieldPath(context.codingPath + [key]), "is required")
        case .valueNotFound(_, let context):
            (path, message) = (Self.fieldPath(context.codingPath), "must not be null")
        case .typeMismatch(let type, let context):
            (path, message) = (Self.fieldPath(context.codingPath), "must be \(Self.jsonKind(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return HTTPError(
                    .badRequest, title: "Malformed request body", detail: "The request body is not valid JSON.")
            }
            (path, message) = (Self.fieldPath(context.codingPath), "has an invalid value")
        @unknown default:
            return HTTPError(
                .badRequest, title: "Malformed request body", detail: "The request body could not be read.")
        }
        let field = path.isEmpty ? "body" : path
        return HTTPError(
            .badRequest, title: "Invalid request body", detail: "\(field) \(message).",
            errors: [HTTPError.FieldError(field: field, message: message)])
    }

    /// `items[2].start_date` from a coding path.
    static func fieldPath(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == String(index) {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += snakeCase(key.stringValue)
            }
        }
        return out
    }

    /// `startDate` → `start_date`; snake_case input is returned unchanged.
    static func snakeCase(_ s: String) -> String {
        var out = ""
        for c in s {
            if c.isUppercase, c.isASCII {
                if !out.isEmpty { out += "_" }
                out += c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// The JSON kind a Swift type is decoded from, as a client would call it.
    static func jsonKind(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String", "Substring", "Character": return "a string"
        case "Bool": return "a boolean"
        case "Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64":
            return "an integer"
        case "Double", "Float", "Decimal": return "a number"
        default:
            if name.hasPrefix("Array<") || name.hasPrefix("[") || name.hasPrefix("Set<") { return "an array" }
            return "an object"
        }
    }
}
