/// Why an object store operation failed, shaped for the caller's next decision: retry (`transient`),
/// give up and report (`denied`, `failed`), or treat as an answer (`notFound`).
///
/// Messages name the key and the store's error code, never credentials or signatures, so they are safe
/// to log.
public enum ObjectStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key breaks the rules of `ObjectKey.validate` (empty, too long, `..`, leading `/`, control
    /// characters); nothing was sent.
    case invalidKey(String)
    /// An argument other than the key is unusable (an expiry out of range, a content type with CR/LF).
    case invalidArgument(String)
    /// No object under that key.
    case notFound(key: String)
    /// The store refused the credentials or the request (HTTP 403: bad key, bad signature, no
    /// permission, clock skew). Retrying the same request will not help.
    case denied(String)
    /// A failure that may pass: timeouts, refused or reset connections, 5xx, S3's `SlowDown`.
    case transient(String)
    /// Anything else that retrying will not fix: an unexpected status, a malformed answer, a local I/O error.
    case failed(String)

    /// Whether a job should try again later.
    public var isTransient: Bool {
        if case .transient = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .invalidKey(let reason): "invalid object key: \(reason)"
        case .invalidArgument(let reason): "invalid argument: \(reason)"
        case .notFound(let key): "no object with key \"\(key)\""
        case .denied(let reason): "access denied: \(reason)"
        case .transient(let reason): "temporary object store failure: \(reason)"
        case .failed(let reason): "object store failure: \(reason)"
        }
    }
}
