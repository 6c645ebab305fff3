import Foundation
import Synchronization
import TestSupport
import Testing

/// Slow providers must not take the server's handler threads: a completion waits for its provider as
/// a deferred response, off the handler pool (DESIGN §2), and `X-Trip-ID` is only accepted for trips
/// the caller belongs to.
@Suite(.serialized) struct GatewayThreadsTests {
    @Test func slowCompletionsLeaveHandlerThreadsFree() throws {
        let kit = try GatewayKit { $0.handlerThreads = 2 }
        let user = try kit.app.register()
        // Four completions the upstream answers only after 2 s each: twice the handler threads.
        try kit.fake.script(Array(repeating: ["delay": 2.0], count: 4))
        let order = Mutex<[String]>([])
        let group = DispatchGroup()
        for i in 0..<4 {
            // Threads, not the global queue: libdispatch would run only about one per core.
            group.enter()
            Thread.detachNewThread {
                let r = try? kit.chat(user.accessToken, GatewayKit.body("slow \(i)"))
                order.withLock { $0.append("completion \(r?.status ?? 0)") }
                group.leave()
            }
        }
        // Once all four reached the upstream, an ordinary request must still be answered at once.
        #expect(eventually(seconds: 10) { ((try? kit.upstreamCount()) ?? 0) == 4 })
        let models = try kit.app.call("GET", "/v1/ai/models", token: user.accessToken)
        order.withLock { $0.append("models \(models.status)") }
        group.wait()
        let seen = order.withLock { $0 }
        #expect(seen.first == "models 200", "\(seen)")
        #expect(seen.filter { $0 == "completion 200" }.count == 4, "\(seen)")
    }

    @Test func tripAttributionNeedsMembership() throws {
        let kit = try GatewayKit()
        let owner = try kit.app.register()
        let stranger = try kit.app.register()
        let tripID = try kit.createTrip(owner.accessToken)
        let mine = try kit.chat(owner.accessToken, GatewayKit.body(), headers: ["X-Trip-ID: \(tripID)"])
        #expect(mine.status == 200)
        let theirs = try kit.chat(stranger.accessToken, GatewayKit.body(), headers: ["X-Trip-ID: \(tripID)"])
        #expect(theirs.status == 404, "\(theirs.text)")
        #expect((theirs.json["error"] as? [String: Any])?["type"] as? String == "not_found_error")
        #expect(try kit.upstreamCount() == 1)
    }
}
