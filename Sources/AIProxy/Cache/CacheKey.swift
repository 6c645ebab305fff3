import Crypto
import Kernel

/// The Redis key of a cacheable request: SHA-256 over the request as it would leave (redacted, with
/// the model resolved) in canonical JSON — keys sorted, numbers in one spelling — and the caller's
/// cache scope, so two users never share an answer and key order or `1.0` vs `1` do not matter.
/// `stream` and `stream_options` are dropped (only non-streaming calls are cached, and `false` or
/// absent mean the same).
enum CacheKey {
    static let prefix = "ai:cache:v1:"

    static func make(request: JSONValue, scope: String) -> String? {
        var normalised = request
        normalised.set("stream", nil)
        normalised.set("stream_options", nil)
        var input = normalised.canonicalBytes
        input.append(0x0A)
        input.append(contentsOf: scope.utf8)
        guard let digest = try? SHA256.hexHash(input) else { return nil }
        return prefix + digest
    }
}
