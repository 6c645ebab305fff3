import Foundation
import Kernel
import Testing

@testable import AIProxy

/// Cache keys: the same request in any key order or number spelling hashes alike; anything that
/// changes the answer, or another caller, does not.
@Suite struct CacheKeyTests {
    func key(_ text: String, scope: String = "u:1") throws -> String? {
        CacheKey.make(request: try JSONValue(parsing: text), scope: scope)
    }

    @Test func normalised() throws {
        let a = try key(#"{"model":"m","temperature":0,"messages":[{"role":"user","content":"hi"}]}"#)
        let b = try key(#"{"messages":[{"content":"hi","role":"user"}],"temperature":0.0,"model":"m","stream":false}"#)
        #expect(a != nil)
        #expect(a == b)
        #expect(a?.hasPrefix(CacheKey.prefix) == true)
        #expect(a?.count == CacheKey.prefix.count + 64)
    }

    @Test func distinguishes() throws {
        let base = try key(#"{"model":"m","temperature":0,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(base != (try key(#"{"model":"m","temperature":0,"messages":[{"role":"user","content":"hi!"}]}"#)))
        #expect(base != (try key(#"{"model":"n","temperature":0,"messages":[{"role":"user","content":"hi"}]}"#)))
        #expect(
            base
                != (try key(
                    #"{"model":"m","temperature":0,"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#)))
        #expect(
            base
                != (try key(#"{"model":"m","temperature":0,"messages":[{"role":"user","content":"hi"}]}"#, scope: "u:2"))
        )
    }

    @Test func callerScopes() throws {
        let user = try #require(UUID(uuidString: "0190a4c2-0000-7000-8000-000000000001"))
        let key = try #require(UUID(uuidString: "0190a4c2-0000-7000-8000-000000000002"))
        #expect(AICaller(userID: user).cacheScope != AICaller(userID: user, apiKeyID: key).cacheScope)
        #expect(AICaller(userID: user, tripID: key).cacheScope == AICaller(userID: user).cacheScope)
    }
}
