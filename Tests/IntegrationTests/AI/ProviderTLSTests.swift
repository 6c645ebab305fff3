import Foundation
import TestSupport
import Testing

@testable import AIProxy
@testable import Kernel

/// Providers over https through real nginx with a private CA: `AI_CA_FILE` is trusted, the host name
/// is checked against the certificate, and an unknown CA is refused.
@Suite struct ProviderTLSTests {
    private func chain(baseURL: String, caFile: String?) throws -> ProviderChain {
        var environment = [
            "AI_PROVIDERS": "main", "AI_MAIN_KIND": "openai", "AI_MAIN_BASE_URL": baseURL,
            "AI_MAIN_MODELS": "fake-small",
            "AI_MAX_RETRIES": "0", "AI_TIMEOUT": "5",
        ]
        if let caFile { environment["AI_CA_FILE"] = caFile }
        let config = try AppConfig.load(from: Environment(environment))
        return try ProviderChain(settings: config.ai)
    }

    private let request: JSONValue = ["model": "fake-small", "messages": [["role": "user", "content": "over tls"]]]

    @Test func trustedCAAndMatchingNameCompletes() throws {
        let fake = try FakeLLM()
        let nginx = try TLSTerminator(upstreamPort: fake.port)
        let chain = try chain(baseURL: "https://localhost:\(nginx.port)/v1", caFile: nginx.caFile)

        let answer = try chain.complete(request, model: "fake-small")
        #expect(answer.completion.body["choices"]?.arrayValue?.first?["message"]?["content"] == "echo: over tls")

        var streamed = request
        streamed.set("stream", true)
        var text = ""
        let result = try chain.stream(streamed, model: "fake-small") { chunk in
            text += chunk["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue ?? ""
            return true
        }
        #expect(text == "echo: over tls")
        #expect(result.usage?.completionTokens == 3)
        #expect(try fake.requests().count == 2)
    }

    @Test func nameNotInTheCertificateIsRefused() throws {
        let fake = try FakeLLM()
        let nginx = try TLSTerminator(upstreamPort: fake.port)
        let chain = try chain(baseURL: "https://127.0.0.1:\(nginx.port)/v1", caFile: nginx.caFile)
        let error = #expect(throws: GatewayError.self) { try chain.complete(request, model: "fake-small") }
        guard case .allProvidersFailed(let last, false, false) = error else {
            throw TestFailure("a failed provider expected, got \(String(describing: error))")
        }
        #expect(last.contains("certificate verification failed") && last.contains("mismatch"), "\(last)")
        #expect(try fake.requests().isEmpty, "nothing may reach the upstream")
    }

    @Test func unknownCAIsRefused() throws {
        let fake = try FakeLLM()
        let nginx = try TLSTerminator(upstreamPort: fake.port)
        let chain = try chain(baseURL: "https://localhost:\(nginx.port)/v1", caFile: nil)
        let error = #expect(throws: GatewayError.self) { try chain.complete(request, model: "fake-small") }
        guard case .allProvidersFailed(let last, _, _) = error else {
            throw TestFailure("a failed provider expected, got \(String(describing: error))")
        }
        #expect(last.contains("certificate verification failed"), "\(last)")
        #expect(try fake.requests().isEmpty)
    }

    @Test func unreadableCAFileFailsAtStart() throws {
        #expect(throws: (any Error).self) {
            try chain(baseURL: "https://localhost:1/v1", caFile: "/nonexistent/ca.pem")
        }
    }
}
