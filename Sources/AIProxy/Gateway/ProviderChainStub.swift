import Kernel

// TEMPORARY: the providers branch's ProviderChain API, so the gateway builds before the merge.
// Deleted when `providers` is merged.
final class ProviderChain: Sendable {
    let settings: AISettings
    init(settings: AISettings) throws { self.settings = settings }
    var isConfigured: Bool { settings.isConfigured }
    var models: [(id: String, providers: [String])] {
        var out: [(id: String, providers: [String])] = []
        for p in settings.providers {
            for m in p.models {
                if let i = out.firstIndex(where: { $0.id == m }) {
                    out[i].providers.append(p.name)
                } else {
                    out.append((m, [p.name]))
                }
            }
        }
        return out
    }
    func price(provider: String, model: String) -> AISettings.Price? {
        settings.providers.first { $0.name == provider }?.prices[model]
    }
    var defaultModel: String? { settings.plannerModel ?? settings.providers.first?.models.first }
    func complete(_ request: JSONValue, model: String) throws(GatewayError) -> ChainCompletion {
        throw .noProvider
    }
    func stream(
        _ request: JSONValue, model: String, onChunk: (JSONValue) throws -> Bool
    ) throws(GatewayError) -> ChainStream {
        throw .noProvider
    }
}

struct ChainCompletion: Sendable {
    var completion: ProviderCompletion
    var provider: String
    var model: String
    var attempts: Int
}

struct ChainStream: Sendable {
    var usage: TokenUsage?
    var provider: String
    var model: String
    var attempts: Int
}
