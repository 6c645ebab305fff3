import Testing

@testable import Kernel

@Suite struct AISettingsTests {
    @Test func providersPricesAndProblems() throws {
        let config = try AppConfig.load(
            from: Environment([
                "AI_PROVIDERS": "main, claude", "AI_MAIN_KIND": "openai", "AI_MAIN_BASE_URL": "http://127.0.0.1:9/v1/",
                "AI_MAIN_MODELS": "gpt-4o-mini,gpt-4o", "AI_MAIN_PRICES": "gpt-4o-mini=0.15/0.6,gpt-4o=2.5/10",
                "AI_CLAUDE_KIND": "anthropic", "AI_CLAUDE_BASE_URL": "https://api.anthropic.com/v1",
                "AI_CLAUDE_API_KEY": "sk-ant", "AI_CLAUDE_MODELS": "claude-3-5-haiku",
            ]))
        #expect(config.ai.providers.map(\.name) == ["main", "claude"])
        #expect(config.ai.providers[0].baseURL == "http://127.0.0.1:9/v1")
        #expect(config.ai.providers[0].prices["gpt-4o-mini"]?.costNanos(input: 1_000_000, output: 0) == 150_000_000)
        #expect(config.ai.providers[0].prices["gpt-4o"]?.outputNanosPerToken == 10_000)
        #expect(config.ai.providers[1].kind == .anthropic)
        #expect(config.ai.providers[1].apiKey == "sk-ant")
        #expect(throws: ConfigError.self) {
            try AppConfig.load(from: Environment(["AI_PROVIDERS": "x", "AI_X_KIND": "openai"]))
        }
        #expect(AISettings.nanosPerToken("0.0001") == nil)
        #expect(AISettings.nanosPerToken("+1") == nil)
        #expect(AISettings.nanosPerToken("0.075") == 75)
    }
}
