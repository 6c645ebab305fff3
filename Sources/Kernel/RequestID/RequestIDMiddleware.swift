import HTTP

/// Gives every request an id (DESIGN §6): the client's `X-Request-ID` when it is 1–128 characters of
/// `[A-Za-z0-9._:-]` (so it is safe to log and to echo), otherwise a new UUIDv7. The id is set on the
/// request and echoed on every response, including error responses.
public struct RequestIDMiddleware: Middleware {
    public static let maxLength = 128

    public init() {}

    public func respond(to request: Request, next: Handler) throws -> Response {
        var request = request
        let id = request.headers[.xRequestID].flatMap { Self.isAcceptable($0) ? $0 : nil } ?? UUIDv7().description
        request.requestID = id
        var response: Response
        do {
            response = try next(request)
        } catch {
            // Normally the error middleware inside has rendered every error already; this keeps the
            // echo promise even if something between us and it throws.
            response = ErrorMiddleware.response(for: error, request: request, logger: nil)
        }
        response.headers.set(.xRequestID, id)
        return response
    }

    /// Whether a client-supplied id may be used as is.
    public static func isAcceptable(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= maxLength else { return false }
        return utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
        }
    }
}
