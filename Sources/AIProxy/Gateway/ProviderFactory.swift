import Crypto
import HTTPClient
import Kernel

/// Builds the configured providers around one shared `HTTPClient`, so every provider draws on one
/// keep-alive pool and one TLS context.
enum ProviderFactory {
    /// The provider HTTP client: certificates verified against the system store plus `settings.caFile`
    /// (a private gateway's CA adds to the public roots rather than replacing them, since one client
    /// serves every provider); no client-wide deadline (each call passes its own).
    static func makeClient(_ settings: AISettings) throws(HTTPClientError) -> HTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.tls = TLSClientConfiguration(caFile: settings.caFile, keepsSystemTrust: true)
        configuration.timeout = max(settings.timeout, settings.streamTimeout)
        configuration.userAgent = "travelsense-ai-gateway/1.0"
        return try HTTPClient(configuration: configuration)
    }

    /// One provider per `settings.providers` entry, in order.
    static func makeProviders(_ settings: AISettings, client: HTTPClient) throws(HTTPClientError) -> [any ChatProvider]
    {
        var providers: [any ChatProvider] = []
        for provider in settings.providers {
            providers.append(try makeProvider(provider, client: client))
        }
        return providers
    }

    static func makeProvider(
        _ settings: AISettings.Provider, client: HTTPClient
    ) throws(HTTPClientError)
        -> any ChatProvider
    {
        switch settings.kind {
        case .openai: try OpenAIProvider(settings: settings, client: client)
        case .anthropic: try AnthropicProvider(settings: settings, client: client)
        }
    }
}
