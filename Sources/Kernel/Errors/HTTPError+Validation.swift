import HTTP

extension HTTPError {
    /// The 400 that names every bad field at once (DESIGN §6): `errors` as given, and a detail that
    /// reads them out ("title is required; currency must be …").
    public static func invalid(_ errors: [FieldError], title: String = "Invalid request body") -> HTTPError {
        HTTPError(
            .badRequest, title: title,
            detail: errors.map { "\($0.field) \($0.message)" }.joined(separator: "; ") + ".", errors: errors)
    }
}

extension HTTPError {
    /// Sets the extension member `name` (replacing an earlier one of that name).
    public mutating func setMember(_ name: String, _ value: JSONValue) {
        members.removeAll { $0.name == name }
        members.append((name, value.bytes))
    }
}
