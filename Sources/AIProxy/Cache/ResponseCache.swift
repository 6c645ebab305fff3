import Kernel
import Logging
import Redis

/// Answers of cacheable requests in Redis for `AI_CACHE_TTL` (zero turns it off). Redis only caches:
/// when it is not configured or not answering, every lookup is a miss and every store is skipped —
/// a request never fails because of the cache.
struct ResponseCache: Sendable {
    /// A stored answer: the `chat.completion` object and the provider that produced it.
    struct Entry: Sendable, Equatable {
        var provider: String
        var body: JSONValue
    }

    let redis: RedisPool?
    let ttl: Duration
    let logger: Logger

    var isEnabled: Bool { redis != nil && ttl > .zero }

    func lookup(_ key: String) -> Entry? {
        guard isEnabled, let redis else { return nil }
        do {
            guard let bytes = try redis.get(key), let json = try? JSONValue(parsing: bytes),
                let provider = json["provider"]?.stringValue, let body = json["body"]
            else { return nil }
            return Entry(provider: provider, body: body)
        } catch {
            logger.debug("AI cache lookup failed", metadata: ["error": .string(error.description)])
            return nil
        }
    }

    func store(_ key: String, _ entry: Entry) {
        guard isEnabled, let redis else { return }
        let value: JSONValue = ["provider": .string(entry.provider), "body": entry.body]
        do {
            try redis.set(key, value.bytes, expiresIn: ttl)
        } catch {
            logger.debug("AI cache store failed", metadata: ["error": .string(error.description)])
        }
    }
}
