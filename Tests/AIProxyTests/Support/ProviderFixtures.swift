import Foundation
import HTTPClient
import Kernel
import TestSupport

@testable import AIProxy

/// Providers pointed at `FakeLLM` instances, and the chain settings the tests use (short delays so a
/// retry or a breaker cooldown costs milliseconds).
enum ProviderFixtures {
    static let client: HTTPClient = {
        var configuration = HTTPClientConfiguration()
        configuration.connectTimeout = .seconds(2)
        do {
            return try HTTPClient(configuration: configuration)
        } catch {
            preconditionFailure("an HTTP client without TLS settings cannot fail: \(error)")
        }
    }()

    static func settings(
        _ name: String, _ fake: FakeLLM, kind: AISettings.Provider.Kind = .openai, key: String? = nil,
        models: [String] = ["fake-small"]
    ) -> AISettings.Provider {
        AISettings.Provider(name: name, kind: kind, baseURL: fake.baseURL, apiKey: key, models: models)
    }

    static func openAI(
        _ fake: FakeLLM, name: String = "main", key: String? = nil, models: [String] = ["fake-small"]
    )
        throws -> OpenAIProvider
    {
        try OpenAIProvider(settings: settings(name, fake, key: key, models: models), client: client)
    }

    static func chainSettings(
        maxRetries: Int = 2, timeout: Duration = .seconds(5), breakerFailures: Int = 100,
        fallbackModels: [String] = []
    ) -> AISettings {
        var settings = AISettings()
        settings.maxRetries = maxRetries
        settings.retryBaseDelay = .milliseconds(10)
        settings.breakerCooldown = .milliseconds(200)
        settings.breakerFailures = breakerFailures
        settings.timeout = timeout
        settings.streamTimeout = .seconds(10)
        settings.fallbackModels = fallbackModels
        return settings
    }

    static func chatRequest(_ text: String = "hello there", model: String = "fake-small") -> JSONValue {
        ["model": .string(model), "messages": [["role": "user", "content": .string(text)]]]
    }

    static func deadline(_ seconds: Int = 5) -> ContinuousClock.Instant { .now + .seconds(seconds) }

    /// The JSON body of a recorded request.
    static func body(_ record: [String: Any]) -> [String: Any] { record["body"] as? [String: Any] ?? [:] }

    static func headers(_ record: [String: Any]) -> [String: String] { record["headers"] as? [String: String] ?? [:] }
}
