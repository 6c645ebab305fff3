import Foundation
import HTTP
import Kernel
import TestSupport
import Testing

@testable import AIProxy

/// The chain against real upstreams (`FakeLLM`): retries, `Retry-After`, timeouts, fallbacks.
@Suite struct ProviderChainTests {
    /// A chain whose waits are recorded (and really slept).
    final class Waits: Sendable {
        let list = Locked<[Duration]>([])
        var all: [Duration] { list.withLock { $0 } }
        var sleep: @Sendable (Duration) -> Void {
            { duration in
                self.list.withLock { $0.append(duration) }
                ProviderChain.threadSleep(duration)
            }
        }
    }

    @Test func retryAfterIsHonoured() throws {
        let fake = try FakeLLM()
        try fake.script([["status": 429, "headers": ["Retry-After": "1"]]])
        let waits = Waits()
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(), providers: [try ProviderFixtures.openAI(fake)],
            sleep: waits.sleep)
        let started = ContinuousClock.now
        let answer = try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        #expect(ContinuousClock.now - started >= .milliseconds(950))
        #expect(answer.attempts == 2)
        #expect(answer.provider == "main")
        #expect(waits.all == [.seconds(1)])
        #expect(try fake.requests().count == 2)
    }

    @Test func serverErrorsAreRetriedWithBackoff() throws {
        let fake = try FakeLLM()
        try fake.script([["status": 500], ["status": 502]])
        let waits = Waits()
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(), providers: [try ProviderFixtures.openAI(fake)],
            sleep: waits.sleep)
        let answer = try chain.complete(ProviderFixtures.chatRequest("hi"), model: "fake-small")
        #expect(answer.attempts == 3)
        #expect(answer.completion.body["choices"]?.arrayValue?.first?["message"]?["content"] == "echo: hi")
        // Full jitter below base·2^n: 10 ms, then 20 ms.
        #expect(waits.all.count == 2)
        #expect(waits.all[0] <= .milliseconds(10) && waits.all[1] <= .milliseconds(20))
    }

    @Test func aBadRequestIsNotRetriedNorPassedOn() throws {
        let first = try FakeLLM()
        let second = try FakeLLM()
        try first.script([["status": 400, "body": ["error": ["message": "messages is required"]]]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(),
            providers: [try ProviderFixtures.openAI(first, name: "a"), try ProviderFixtures.openAI(second, name: "b")])
        let error = #expect(throws: GatewayError.self) {
            try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        }
        guard case .upstreamRejected(let status, let message) = error else {
            throw TestFailure("upstreamRejected expected, got \(String(describing: error))")
        }
        #expect(status.code == 400 && message == "messages is required")
        #expect(try first.requests().count == 1)
        #expect(try second.requests().isEmpty)
    }

    @Test func aSlowUpstreamTimesOutAndTheNextProviderAnswers() throws {
        let slow = try FakeLLM()
        let fast = try FakeLLM()
        try slow.script([["delay": 2.0]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(maxRetries: 0, timeout: .milliseconds(500)),
            providers: [
                try ProviderFixtures.openAI(slow, name: "slow"), try ProviderFixtures.openAI(fast, name: "fast"),
            ])
        let answer = try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        #expect(answer.provider == "fast")
        #expect(answer.attempts == 2)
        #expect(try slow.requests().count == 1)
    }

    @Test func everyProviderTimingOutIsAGatewayTimeout() throws {
        let slow = try FakeLLM()
        try slow.script([["delay": 2.0]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(maxRetries: 0, timeout: .milliseconds(300)),
            providers: [try ProviderFixtures.openAI(slow)])
        let error = #expect(throws: GatewayError.self) {
            try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        }
        guard case .allProvidersFailed(_, let timedOut, let circuitsOpen) = error else {
            throw TestFailure("allProvidersFailed expected")
        }
        #expect(timedOut && !circuitsOpen)
    }

    @Test func aDroppedConnectionIsRetried() throws {
        let fake = try FakeLLM()
        try fake.script([["drop": true]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(), providers: [try ProviderFixtures.openAI(fake)])
        let answer = try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        #expect(answer.attempts == 2)
        #expect(try fake.requests().count == 2)
    }

    @Test func malformedAnswersAreRetriedThenPassedOn() throws {
        let broken = try FakeLLM()
        let good = try FakeLLM()
        try broken.script([["raw": "{\"choices\": [tru"], ["raw": "not json at all"]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(maxRetries: 1),
            providers: [
                try ProviderFixtures.openAI(broken, name: "broken"), try ProviderFixtures.openAI(good, name: "good"),
            ])
        let answer = try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        #expect(answer.provider == "good")
        #expect(answer.attempts == 3)
        #expect(try broken.requests().count == 2)
    }

    @Test func fallbackModelsAreTriedAfterTheRequestedOnes() throws {
        let small = try FakeLLM()
        let large = try FakeLLM()
        try small.script([["status": 503], ["status": 503]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(maxRetries: 1, fallbackModels: ["fake-large"]),
            providers: [
                try ProviderFixtures.openAI(small, name: "small", models: ["fake-small"]),
                try ProviderFixtures.openAI(large, name: "large", models: ["fake-large"]),
            ])
        let answer = try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        #expect(answer.provider == "large")
        #expect(answer.model == "fake-large")
        #expect(answer.attempts == 3)
        let sent = try #require(try large.requests().first)
        #expect(ProviderFixtures.body(sent)["model"] as? String == "fake-large")
        // The requested model's own provider is not used for a model it does not list.
        #expect(throws: GatewayError.self) { try chain.complete(ProviderFixtures.chatRequest(), model: "gpt-9") }
    }

    @Test func unknownModelAndNoProvider() throws {
        let fake = try FakeLLM()
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(), providers: [try ProviderFixtures.openAI(fake)])
        let unknown = #expect(throws: GatewayError.self) {
            try chain.complete(ProviderFixtures.chatRequest(), model: "nope")
        }
        guard case .unknownModel("nope") = unknown else { throw TestFailure("unknownModel expected") }
        let empty = ProviderChain(settings: ProviderFixtures.chainSettings(), providers: [])
        #expect(!empty.isConfigured)
        let none = #expect(throws: GatewayError.self) {
            try empty.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        }
        guard case .noProvider = none else { throw TestFailure("noProvider expected") }
        #expect(try fake.requests().isEmpty)
    }

    @Test func catalogueAndPrices() throws {
        let fake = try FakeLLM()
        var settings = ProviderFixtures.settings("a", fake, models: ["m1", "m2"])
        settings.prices["m2"] = AISettings.Price(inputNanosPerToken: 150, outputNanosPerToken: 600)
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(),
            providers: [
                try OpenAIProvider(settings: settings, client: ProviderFixtures.client),
                try ProviderFixtures.openAI(fake, name: "b", models: ["m2", "m3"]),
            ])
        #expect(chain.models.map(\.id) == ["m1", "m2", "m3"])
        #expect(chain.models.map(\.providers) == [["a"], ["a", "b"], ["b"]])
        #expect(chain.price(provider: "a", model: "m2")?.outputNanosPerToken == 600)
        #expect(chain.price(provider: "b", model: "m2") == nil)
        #expect(chain.defaultModel == "m1")
    }
}
