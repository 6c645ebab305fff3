import HTTP
import Synchronization

/// The authenticated user's id, for handlers and the access log.
public enum UserIDKey: RequestContextKey {
    public typealias Value = String
}

/// A slot the access-log middleware puts into the request before calling inward, so an inner layer
/// (authentication runs per route, inside the global middleware) can report the user id back out:
/// `Request` is a value, and what an inner middleware sets on its copy never reaches the outer one.
final class RequestAnnotations: Sendable {
    // Written by the handler thread inside, read by the same thread on the way out.
    let userID = Mutex<String?>(nil)
}

enum RequestAnnotationsKey: RequestContextKey {
    typealias Value = RequestAnnotations
}

extension Request {
    /// Records the authenticated user: visible to later middleware and handlers through
    /// `context[UserIDKey.self]`, and to the access log line of this request.
    public mutating func setUserID(_ id: String) {
        context[UserIDKey.self] = id
        context[RequestAnnotationsKey.self]?.userID.withLock { $0 = id }
    }

    /// The user id set by `setUserID` anywhere in this request's chain, or nil.
    var loggedUserID: String? {
        context[RequestAnnotationsKey.self]?.userID.withLock { $0 } ?? context[UserIDKey.self]
    }
}
