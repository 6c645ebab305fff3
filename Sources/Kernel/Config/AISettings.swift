import Foundation

/// The AI gateway's upstreams and policies (the AIProxy module). With no `AI_PROVIDERS` the gateway
/// answers 503 and itinerary generation uses the built-in planner only.
public struct AISettings: Sendable {
    /// One upstream, from `AI_<NAME>_*`.
    public struct Provider: Sendable, Equatable {
        public enum Kind: String, Sendable {
            /// Any OpenAI-compatible Chat Completions endpoint (OpenAI, vLLM, Ollama, llama.cpp…).
            case openai
            /// Anthropic's Messages API.
            case anthropic
        }

        /// Lower-case, as listed in `AI_PROVIDERS`; the `provider` of usage rows and metrics.
        public var name: String
        public var kind: Kind
        /// Without a trailing slash: `https://api.openai.com/v1`, `https://api.anthropic.com/v1`.
        public var baseURL: String
        /// Sent as `Authorization: Bearer` (openai) or `x-api-key` (anthropic); nil for local servers.
        public var apiKey: String?
        /// The models this provider serves, in preference order.
        public var models: [String]
        /// Prices per model, in nano-units of `AISettings.currency` per token.
        public var prices: [String: Price]

        public init(
            name: String, kind: Kind, baseURL: String, apiKey: String? = nil, models: [String],
            prices: [String: Price] = [:]
        ) {
            self.name = name
            self.kind = kind
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.models = models
            self.prices = prices
        }
    }

    /// A model's price, configured per million tokens (`AI_<NAME>_PRICES=gpt-4o-mini=0.15/0.60`) and kept
    /// per token in nano-units, so a request's cost is an exact integer (prices have at most 3 decimals).
    public struct Price: Sendable, Equatable {
        public var inputNanosPerToken: Int64
        public var outputNanosPerToken: Int64

        public init(inputNanosPerToken: Int64, outputNanosPerToken: Int64) {
            self.inputNanosPerToken = inputNanosPerToken
            self.outputNanosPerToken = outputNanosPerToken
        }

        /// The exact cost of a request in nano-units.
        public func costNanos(input: Int, output: Int) -> Int64 {
            Int64(input) * inputNanosPerToken + Int64(output) * outputNanosPerToken
        }
    }

    /// What the redactor removes from prompts before they leave.
    public enum Redaction: String, Sendable, CaseIterable {
        case email, phone, card, passport
    }

    /// In fallback order.
    public var providers: [Provider] = []
    /// Models tried, in order, when every provider of the requested model failed.
    public var fallbackModels: [String] = []
    /// Whole-call deadline of a non-streaming upstream call (each attempt).
    public var timeout: Duration = .seconds(60)
    /// Whole-call deadline of a streamed upstream call.
    public var streamTimeout: Duration = .seconds(300)
    /// Retries of one provider after the first attempt (429, 5xx, connection errors).
    public var maxRetries = 2
    /// First backoff; doubled each retry, with full jitter, capped at 8 s (a `Retry-After` wins, up to 30 s).
    public var retryBaseDelay: Duration = .milliseconds(250)
    /// Consecutive failures that open a provider's circuit.
    public var breakerFailures = 5
    /// How long an open circuit refuses calls before letting one through.
    public var breakerCooldown: Duration = .seconds(30)
    /// Lifetime of a cached answer; zero turns the cache off.
    public var cacheTTL: Duration = .seconds(3600)
    public var redact: Set<Redaction> = Set(Redaction.allCases)
    /// Whether prompts and answers are kept with the usage rows (off: only counts and costs are stored).
    public var storePrompts = false
    /// ISO 4217 code the prices are in.
    public var currency = "USD"
    /// The model the planner and suggestions ask; nil picks the first provider's first model.
    public var plannerModel: String?
    /// How many times the planner sends a model's plan back with its violations.
    public var plannerRepairs = 2
    /// A PEM file of extra CAs trusted for provider TLS (a private gateway; the tests' CA).
    public var caFile: String?

    public init() {}

    public var isConfigured: Bool { !providers.isEmpty }

    static func load(from env: inout Environment) -> AISettings {
        var a = AISettings()
        if let list = env.string("AI_PROVIDERS") {
            let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if names.isEmpty || names.contains(where: { !isProviderName($0) }) || Set(names).count != names.count {
                env.problem("AI_PROVIDERS", "must be a comma-separated list of distinct names of a-z, 0-9 and _")
            } else {
                a.providers = names.compactMap { provider($0, &env) }
            }
        }
        a.fallbackModels = list(env.string("AI_FALLBACK_MODELS"))
        if a.fallbackModels.contains(where: { !isModelName($0) }) {
            env.problem("AI_FALLBACK_MODELS", "must be a comma-separated list of model names")
        }
        a.timeout = env.seconds("AI_TIMEOUT", default: a.timeout, in: 0.1...3600)
        a.streamTimeout = env.seconds("AI_STREAM_TIMEOUT", default: a.streamTimeout, in: 0.1...7200)
        a.maxRetries = env.int("AI_MAX_RETRIES", default: a.maxRetries, in: 0...10)
        a.retryBaseDelay = env.seconds("AI_RETRY_BASE_DELAY", default: a.retryBaseDelay, in: 0.001...60)
        a.breakerFailures = env.int("AI_BREAKER_FAILURES", default: a.breakerFailures, in: 1...1000)
        a.breakerCooldown = env.seconds("AI_BREAKER_COOLDOWN", default: a.breakerCooldown, in: 0.01...3600)
        a.cacheTTL = env.seconds("AI_CACHE_TTL", default: a.cacheTTL, in: 0...2_592_000)
        if let raw = env.string("AI_REDACT") {
            let words = list(raw).map { $0.lowercased() }
            if words == ["none"] || words == ["off"] {
                a.redact = []
            } else {
                let parsed = words.compactMap(Redaction.init(rawValue:))
                if parsed.count == words.count, !parsed.isEmpty {
                    a.redact = Set(parsed)
                } else {
                    env.problem("AI_REDACT", "must be none or a comma list of email, phone, card, passport")
                }
            }
        }
        a.storePrompts = env.bool("AI_STORE_PROMPTS", default: a.storePrompts)
        a.currency = env.string("AI_CURRENCY", default: a.currency)
        if a.currency.count != 3 || !a.currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            env.problem("AI_CURRENCY", "must be an ISO 4217 code like USD")
        }
        a.plannerModel = env.string("AI_PLANNER_MODEL")
        if let model = a.plannerModel, !isModelName(model) { env.problem("AI_PLANNER_MODEL", "must be a model name") }
        a.plannerRepairs = env.int("AI_PLANNER_REPAIRS", default: a.plannerRepairs, in: 0...10)
        a.caFile = env.string("AI_CA_FILE")
        if let file = a.caFile, file.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            env.problem("AI_CA_FILE", "must be a file path")
        }
        return a
    }

    private static func provider(_ name: String, _ env: inout Environment) -> Provider? {
        let prefix = "AI_" + name.uppercased() + "_"
        let before = env.problemCount
        let kind = env.choice(
            prefix + "KIND", default: Provider.Kind.openai, options: ["openai": .openai, "anthropic": .anthropic])
        if env.string(prefix + "KIND") == nil { env.problem(prefix + "KIND", "is required: openai or anthropic") }
        var base = env.url(prefix + "BASE_URL", schemes: ["http", "https"], required: true) ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        let key = env.string(prefix + "API_KEY")
        if let key, key.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value > 0x7E }) {
            env.problem(prefix + "API_KEY", "must be printable ASCII without spaces")  // never echoed
        }
        let models = list(env.string(prefix + "MODELS"))
        if models.isEmpty { env.problem(prefix + "MODELS", "is required: a comma-separated list of model names") }
        if models.contains(where: { !isModelName($0) }) {
            env.problem(prefix + "MODELS", "model names may not contain spaces or '='")
        }
        var prices: [String: Price] = [:]
        for entry in list(env.string(prefix + "PRICES")) {
            guard let (model, price) = parsePrice(entry), models.contains(model) else {
                env.problem(
                    prefix + "PRICES",
                    "must be a comma list of model=input/output, prices per million tokens with at most 3 decimals, "
                        + "for models in \(prefix)MODELS")
                break
            }
            prices[model] = price
        }
        guard env.problemCount == before else { return nil }
        return Provider(name: name, kind: kind, baseURL: base, apiKey: key, models: models, prices: prices)
    }

    /// `model=0.15/0.60` → nano-units per token (0.15 per million tokens is 150 nano-units per token).
    static func parsePrice(_ entry: String) -> (String, Price)? {
        let parts = entry.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let amounts = parts[1].split(separator: "/", omittingEmptySubsequences: false)
        guard amounts.count == 2, let input = nanosPerToken(String(amounts[0])),
            let output = nanosPerToken(String(amounts[1]))
        else { return nil }
        return (String(parts[0]), Price(inputNanosPerToken: input, outputNanosPerToken: output))
    }

    /// A decimal price per million tokens, at most 3 decimals, as nano-units per token.
    static func nanosPerToken(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Environment.parseDigits(String(parts[0])), whole <= 1_000_000 else {
            return nil
        }
        var fraction = 0
        if parts.count == 2 {
            let digits = String(parts[1])
            guard (1...3).contains(digits.count), let f = Environment.parseDigits(digits) else { return nil }
            fraction = f * [1, 100, 10, 1][digits.count]
        }
        return Int64(whole) * 1000 + Int64(fraction)
    }

    /// Printable ASCII without spaces, `=` or `,` (they separate the lists).
    static func isModelName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 200
            && name.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != "=" && $0 != "," }
    }

    static func isProviderName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 32
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }

    private static func list(_ raw: String?) -> [String] {
        (raw ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
