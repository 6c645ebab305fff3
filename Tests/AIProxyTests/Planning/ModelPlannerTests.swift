import Foundation
import Kernel
import Synchronization
import Testing
import Trips

@testable import AIProxy

/// The planner's seam: answers scripted one per call, requests recorded.
final class ScriptedModel: ChatCompleting {
    enum Step {
        case reply(String)
        case tool(String)
        case fail(GatewayError)
    }

    /// Guarded: the planner may call from any thread.
    private let state: Mutex<(steps: [Step], requests: [JSONValue])>
    let isConfigured: Bool

    init(_ steps: [Step], configured: Bool = true) {
        state = Mutex((steps, []))
        isConfigured = configured
    }

    var requests: [JSONValue] { state.withLock { $0.requests } }

    func complete(_ request: JSONValue, for caller: AICaller) throws(GatewayError) -> JSONValue {
        let step: Step? = state.withLock { s in
            s.requests.append(request)
            return s.steps.isEmpty ? nil : (s.steps.count == 1 ? s.steps[0] : s.steps.removeFirst())
        }
        var message: JSONValue = ["role": "assistant", "content": nil]
        switch step {
        case .none: throw .noProvider
        case .fail(let error): throw error
        case .reply(let text): message.set("content", .string(text))
        case .tool(let arguments):
            message.set(
                "tool_calls",
                [["id": "call_1", "type": "function", "function": ["name": "plan", "arguments": .string(arguments)]]])
        }
        return [
            "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "scripted-1",
            "choices": [["index": 0, "message": message, "finish_reason": "stop"]],
        ]
    }
}

@Suite struct ModelPlannerTests {
    typealias F = PlanFixtures

    static func json(_ items: [PlanItem]) -> String {
        String(decoding: (try? JSONBody.encode(["items": items])) ?? [], as: UTF8.self)
    }

    func generator(_ model: ScriptedModel, repairs: Int = 2) -> PlanGenerator {
        PlanGenerator(models: model, repairs: repairs, model: nil) { name in
            name == "Pastéis de Belém" ? F.pasteis : nil
        }
    }

    let caller = AICaller(userID: UUID())

    @Test func anInvalidPlanIsRepaired() throws {
        var broken = F.plan
        broken[1].startTime = "10:30"
        broken[1].endTime = "12:30"
        let model = ScriptedModel([.reply(Self.json(broken)), .reply("```json\n" + Self.json(F.plan) + "\n```")])
        let result = generator(model).generate(trip: F.trip, request: F.request, caller: caller)
        #expect(result.planner == .model)
        #expect(result.model == "scripted-1")
        #expect(result.checks.allPassed, "\(result.checks.violationLines)")
        #expect(result.items == F.plan)
        #expect(result.modelAttempts == 2)
        let requests = model.requests
        try #require(requests.count == 2)
        #expect(requests[0]["response_format"]?["json_schema"]?["strict"] == true)
        #expect(requests[0]["temperature"] == 0)
        let messages = requests[1]["messages"]?.arrayValue ?? []
        #expect(messages.count == 4, "system, user, the broken answer, the repair")
        #expect(messages[2]["role"] == "assistant")
        let repair = messages.last?["content"]?.stringValue ?? ""
        #expect(repair.contains("no_overlap (item 1)"))
        #expect(repair.contains("overlaps item 0 \"Belém Tower\""))
    }

    @Test func toolCallsAndMissingCoordinatesAreResolved() {
        var plan = F.plan
        plan[0].place = PlanPlace(name: "Belém Tower", lat: nil, lon: nil)  // the idea has them
        plan[2].place = nil  // found by its title through the lookup
        let model = ScriptedModel([.tool(Self.json(plan))])
        let result = generator(model).generate(trip: F.trip, request: F.request, caller: caller)
        #expect(result.planner == .model)
        #expect(result.checks.allPassed, "\(result.checks.violationLines)")
        #expect(result.items[0].place == F.tower)
        #expect(result.items[2].place?.lat == F.pasteis.lat)
    }

    @Test func anAlwaysInvalidPlanFallsBackAfterTheRepairs() {
        var broken = F.plan
        broken[3].day = "2027-06-30"
        let model = ScriptedModel([.reply(Self.json(broken))])
        let result = generator(model, repairs: 2).generate(trip: F.trip, request: F.request, caller: caller)
        #expect(model.requests.count == 3, "the first answer and two repairs")
        #expect(result.planner == .builtin)
        #expect(result.modelAttempts == 3)
        #expect(result.fallbackReason?.contains("after 2 repair") == true)
        #expect(result.modelViolations.contains { $0.hasPrefix("trip_days (item 3)") })
        #expect(result.checks.allPassed, "\(result.checks.violationLines)")
        #expect(!result.items.isEmpty)
    }

    @Test func unreadableAnswersCountAsViolations() {
        let model = ScriptedModel([.reply("Sure! Here is your plan: day 1, the tower.")])
        let result = generator(model, repairs: 1).generate(trip: F.trip, request: F.request, caller: caller)
        #expect(model.requests.count == 2)
        #expect(result.planner == .builtin)
        #expect(result.modelViolations.first?.contains("could not be read") == true)
    }

    @Test func noProviderFallsBackAtOnce() {
        let model = ScriptedModel([.fail(.noProvider)])
        let result = generator(model).generate(trip: F.trip, request: F.request, caller: caller)
        #expect(model.requests.count == 1)
        #expect(result.planner == .builtin)
        #expect(result.fallbackReason?.contains("no AI provider") == true)
        #expect(result.checks.allPassed)

        let failing = ScriptedModel([.fail(.allProvidersFailed(lastError: "502", timedOut: false, circuitsOpen: false))]
        )
        let second = generator(failing).generate(trip: F.trip, request: F.request, caller: caller)
        #expect(failing.requests.count == 1, "gateway errors are not repaired")
        #expect(second.planner == .builtin)

        let unconfigured = ScriptedModel([], configured: false)
        let third = generator(unconfigured).generate(trip: F.trip, request: F.request, caller: caller)
        #expect(unconfigured.requests.isEmpty)
        #expect(third.planner == .builtin)
        #expect(third.fallbackReason == "no AI provider is configured")
    }
}
