import Foundation
import Kernel
import TestSupport
import Testing

@testable import AIProxy

@Suite struct CircuitBreakerTests {
    /// The state machine on a made-up clock: no waiting.
    @Test func opensRefusesThenLetsOneTrialThrough() throws {
        let breaker = CircuitBreaker(failureThreshold: 3, cooldown: .seconds(30))
        let t0 = ContinuousClock.now
        for _ in 0..<2 {
            breaker.failed(try #require(breaker.acquire(now: t0)), now: t0)
        }
        #expect(breaker.state == .closed)
        breaker.succeeded(try #require(breaker.acquire(now: t0)))  // a success resets the count
        for _ in 0..<3 {
            breaker.failed(try #require(breaker.acquire(now: t0)), now: t0)
        }
        #expect(breaker.state == .open(until: t0 + .seconds(30)))
        #expect(breaker.acquire(now: t0 + .seconds(29)) == nil)

        let trial = try #require(breaker.acquire(now: t0 + .seconds(30)))
        #expect(trial.isTrial)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.acquire(now: t0 + .seconds(31)) == nil, "one trial at a time")
        breaker.failed(trial, now: t0 + .seconds(32))
        #expect(breaker.state == .open(until: t0 + .seconds(62)), "a failed trial re-opens")

        let second = try #require(breaker.acquire(now: t0 + .seconds(62)))
        breaker.released(second)  // the client went away: the trial tells nothing
        #expect(breaker.state == .halfOpen)
        let third = try #require(breaker.acquire(now: t0 + .seconds(63)))
        breaker.succeeded(third)
        #expect(breaker.state == .closed)
        #expect(breaker.acquire(now: t0 + .seconds(63))?.isTrial == false)
    }

    @Test func openCircuitIsSkippedWithoutReachingTheUpstream() throws {
        let flaky = try FakeLLM()
        let healthy = try FakeLLM()
        try flaky.script(Array(repeating: ["status": 500], count: 10))
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(maxRetries: 0, breakerFailures: 2),
            providers: [
                try ProviderFixtures.openAI(flaky, name: "flaky"),
                try ProviderFixtures.openAI(healthy, name: "healthy"),
            ])
        for _ in 0..<2 {
            #expect(try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small").provider == "healthy")
        }
        #expect(chain.isCircuitOpen(provider: "flaky"))
        for _ in 0..<3 {
            let answer = try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
            #expect(answer.provider == "healthy" && answer.attempts == 1)
        }
        #expect(try flaky.requests().count == 2, "an open circuit sends nothing")
        #expect(try healthy.requests().count == 5)
    }

    @Test func everyCircuitOpenIsReported() throws {
        let flaky = try FakeLLM()
        try flaky.script(Array(repeating: ["status": 503], count: 10))
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(maxRetries: 1, breakerFailures: 2),
            providers: [try ProviderFixtures.openAI(flaky)])
        let first = #expect(throws: GatewayError.self) {
            try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        }
        guard case .allProvidersFailed(_, false, false) = first else { throw TestFailure("a plain failure first") }
        let second = #expect(throws: GatewayError.self) {
            try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        }
        guard case .allProvidersFailed(_, false, true) = second else {
            throw TestFailure("circuitsOpen expected, got \(String(describing: second))")
        }
        #expect(try flaky.requests().count == 2)
    }

    @Test func halfOpenTrialAfterCooldownClosesTheCircuit() throws {
        let fake = try FakeLLM()
        try fake.script([["status": 500], ["status": 500]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(maxRetries: 0, breakerFailures: 2),
            providers: [try ProviderFixtures.openAI(fake)])
        for _ in 0..<3 {
            _ = try? chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        }
        #expect(try fake.requests().count == 2)
        #expect(chain.isCircuitOpen(provider: "main"))
        ProviderChain.threadSleep(.milliseconds(250))  // the cooldown is 200 ms
        let answer = try chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        #expect(answer.attempts == 1)
        #expect(!chain.isCircuitOpen(provider: "main"))
        #expect(try fake.requests().count == 3)
    }

    @Test func halfOpenTrialFailureReopens() throws {
        let fake = try FakeLLM()
        try fake.script([["status": 500], ["status": 500], ["status": 500]])
        let chain = ProviderChain(
            settings: ProviderFixtures.chainSettings(maxRetries: 2, breakerFailures: 2),
            providers: [try ProviderFixtures.openAI(fake)])
        _ = try? chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        #expect(try fake.requests().count == 2, "the circuit opened before the third attempt")
        ProviderChain.threadSleep(.milliseconds(250))
        // The trial fails; the circuit re-opens at once, so the retry inside the same call is refused.
        _ = try? chain.complete(ProviderFixtures.chatRequest(), model: "fake-small")
        #expect(try fake.requests().count == 3)
        #expect(chain.isCircuitOpen(provider: "main"))
    }

    @Test func backoffStaysUnderItsCeilings() {
        let backoff = Backoff(base: .milliseconds(250))
        #expect(backoff.ceiling(retry: 0) == .milliseconds(250))
        #expect(backoff.ceiling(retry: 2) == .seconds(1))
        #expect(backoff.ceiling(retry: 10) == .seconds(8))
        #expect(backoff.ceiling(retry: 10_000) == .seconds(8))
        for retry in 0..<6 {
            for _ in 0..<50 {
                let wait = backoff.delay(retry: retry, retryAfter: nil)
                #expect(wait >= .zero && wait <= backoff.ceiling(retry: retry))
            }
        }
        #expect(backoff.delay(retry: 0, retryAfter: .seconds(3)) == .seconds(3))
        #expect(backoff.delay(retry: 0, retryAfter: .seconds(120)) == .seconds(30))
    }
}
