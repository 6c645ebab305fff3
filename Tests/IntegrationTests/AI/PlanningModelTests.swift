import Foundation
import TestSupport
import Testing

@testable import AIProxy

/// Itinerary planning and suggestions through the real gateway with a local LLM upstream (`FakeLLM`):
/// the model's plan is checked, sent back once with the validator's words and accepted when repaired;
/// an unavailable or stubborn model hands over to the built-in planner; every model call is a usage
/// row on the trip; suggestions at temperature 0 come from the cache the second time.
@Suite struct PlanningModelTests {
    typealias K = PlanningKit

    /// A plan entry as the model writes it (every schema property present, as strict output demands).
    static func entry(
        _ id: String?, _ title: String, _ kind: String, _ day: String, _ start: String, _ end: String,
        place: (String, Double, Double)? = nil
    ) -> [String: Any] {
        [
            "item_id": id ?? NSNull(), "day": day, "start_time": start, "end_time": end, "title": title, "kind": kind,
            "place": place.map { ["name": $0.0, "lat": $0.1, "lon": $0.2] as [String: Any] } ?? NSNull(),
            "cost": NSNull(), "notes": NSNull(), "opening_hours": NSNull(),
        ]
    }

    /// A plan that keeps every rule of `PlanningKit.request`: Belém on the second day, Baixa around the
    /// booked castle tour (10:00–11:30) on the first, one new place, the casino left out.
    static func goodPlan(_ s: PlanningKit.Setup) -> [[String: Any]] {
        [
            entry(s.ideas["Belém Tower"], "Belém Tower", "activity", "2027-05-02", "09:00", "10:30"),
            entry(s.ideas["Jerónimos Monastery"], "Jerónimos Monastery", "activity", "2027-05-02", "11:00", "12:30"),
            entry(s.ideas["Pastéis de Belém"], "Pastéis de Belém", "food", "2027-05-02", "13:00", "14:00"),
            entry(s.ideas["Time Out Market"], "Time Out Market", "food", "2027-05-01", "12:30", "13:30"),
            entry(s.ideas["Praça do Comércio"], "Praça do Comércio", "activity", "2027-05-01", "14:00", "15:00"),
            entry(
                nil, "Miradouro de Santa Luzia", "activity", "2027-05-01", "16:00", "17:00",
                place: ("Miradouro de Santa Luzia", 38.7118, -9.1302)),
        ]
    }

    /// The same plan with the monastery moved onto the tower's slot: one `no_overlap` violation.
    static func overlappingPlan(_ s: PlanningKit.Setup) -> [[String: Any]] {
        var plan = goodPlan(s)
        plan[1]["start_time"] = "09:30"
        plan[1]["end_time"] = "11:00"
        return plan
    }

    /// The validator's line for `overlappingPlan`, as the repair turn and `model_violations` carry it.
    static let overlapLine =
        "no_overlap (item 1) (2027-05-02): 09:30–11:00 overlaps item 0 \"Belém Tower\" (09:00–10:30)"

    static func text(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func reply(_ plan: [[String: Any]], usage: (Int, Int)? = nil) throws -> [String: Any] {
        var step: [String: Any] = ["reply": try text(["items": plan])]
        if let usage { step["usage"] = ["prompt": usage.0, "completion": usage.1] }
        return step
    }

    static func messages(_ request: [String: Any]) -> [[String: Any]] {
        (request["body"] as? [String: Any])?["messages"] as? [[String: Any]] ?? []
    }

    @Test func modelPlanRepairedOnceThenApplied() throws {
        let kit = try GatewayKit()
        let s = try K.setup(kit.app)
        let editor = s.crew.editor.accessToken
        try kit.fake.script([try Self.reply(Self.overlappingPlan(s)), try Self.reply(Self.goodPlan(s))])

        let job = try K.generate(kit.app, editor, trip: s.crew.trip)
        #expect(job["state"] as? String == "completed", "\(job)")
        let proposal = try K.proposal(kit.app, editor, job: job)
        #expect(proposal["planner"] as? String == "model", "\(proposal)")
        #expect(proposal["model"] as? String == "fake-small")
        #expect(proposal["model_attempts"] as? Int == 2)
        #expect(proposal["fallback_reason"] == nil || proposal["fallback_reason"] is NSNull)
        #expect((proposal["model_violations"] as? [String]) == [])
        #expect(proposal["passed"] as? Bool == true, "\(proposal["checks"] ?? "")")
        let checks = try #require(proposal["checks"] as? [[String: Any]])
        #expect(checks.count == 13)
        #expect(checks.allSatisfy { $0["passed"] as? Bool == true })
        let plan = try #require(proposal["plan"] as? [[String: Any]])
        #expect(plan.map { $0["title"] as? String ?? "" } == Self.goodPlan(s).map { $0["title"] as? String ?? "" })
        #expect(
            plan.map { $0["start_time"] as? String ?? "" } == ["09:00", "11:00", "13:00", "12:30", "14:00", "16:00"])

        // What the upstream saw: the trip's ideas and the schema, then the repair turn in the validator's words.
        let requests = try kit.fake.requests()
        try #require(requests.count == 2)
        let first = try #require(requests[0]["body"] as? [String: Any])
        #expect(first["model"] as? String == "fake-small")
        #expect(first["temperature"] as? Int == 0)
        let format = try #require(first["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        let schema = try #require(format["json_schema"] as? [String: Any])
        #expect(schema["name"] as? String == "itinerary_plan")
        #expect(schema["strict"] as? Bool == true)
        #expect((schema["schema"] as? [String: Any])?["required"] as? [String] == ["items"])
        let asked = Self.messages(requests[0])
        #expect(asked.map { $0["role"] as? String ?? "" } == ["system", "user"])
        let context = asked.last?["content"] as? String ?? ""
        #expect(context.contains(s.ideas["Casino Lisboa"] ?? "-"), "every idea goes to the model")
        #expect(context.contains("São Jorge Castle tour"), "and what is already scheduled")

        let repair = Self.messages(requests[1])
        #expect(repair.map { $0["role"] as? String ?? "" } == ["system", "user", "assistant", "user"])
        #expect(repair[2]["content"] as? String == (try Self.text(["items": Self.overlappingPlan(s)])))
        #expect(
            repair[3]["content"] as? String
                == "Your plan breaks these rules:\n- \(Self.overlapLine)\n"
                + "Answer with the whole corrected plan as JSON matching the schema.")
        #expect((requests[1]["body"] as? [String: Any])?["response_format"] != nil)

        // Applied as proposed: ideas scheduled where the model put them, the new place added.
        let pid = try #require(proposal["id"] as? String)
        let applied = try kit.app.call("POST", "/v1/trips/\(s.crew.trip)/proposals/\(pid)/apply", token: editor)
        try #require(applied.status == 200, "\(applied.text)")
        #expect((applied.json["items"] as? [Any])?.count == 6)
        let items = try K.items(kit.app, editor, s.crew.trip)
        for entry in Self.goodPlan(s) {
            let title = entry["title"] as? String ?? ""
            let item = try #require(
                (entry["item_id"] as? String).flatMap { items[$0] }
                    ?? items.values.first { $0["title"] as? String == title }, "\(title)")
            #expect(item["day"] as? String == entry["day"] as? String, "\(title)")
            #expect(item["start_time"] as? String == entry["start_time"] as? String, "\(title)")
            #expect(item["end_time"] as? String == entry["end_time"] as? String, "\(title)")
        }
        let added = try #require(items.values.first { $0["title"] as? String == "Miradouro de Santa Luzia" })
        #expect((added["place"] as? [String: Any])?["lat"] as? Double == 38.7118)
        #expect(
            items[s.ideas["Casino Lisboa"] ?? "-"]?["day"] == nil
                || items[s.ideas["Casino Lisboa"] ?? "-"]?["day"] is NSNull)
        #expect(
            try TripKit.dayOrder(kit.app, editor, s.crew.trip, "2027-05-01")
                == [
                    s.booked, s.ideas["Time Out Market"] ?? "-", s.ideas["Praça do Comércio"] ?? "-",
                    added["id"] as? String ?? "-",
                ])
    }

    @Test func unavailableOrStubbornModelFallsBackToTheBuiltinPlanner() throws {
        let kit = try GatewayKit(maxRetries: 0) { $0.ai.plannerRepairs = 1 }
        let s = try K.setup(kit.app)
        let editor = s.crew.editor.accessToken

        // A 500 with no retries left: one upstream call, then the built-in planner.
        try kit.fake.script([["status": 500]])
        let down = try K.proposal(kit.app, editor, job: try K.generate(kit.app, editor, trip: s.crew.trip))
        #expect(down["planner"] as? String == "builtin", "\(down)")
        #expect(
            down["fallback_reason"] as? String
                == "the model was unavailable: every provider failed; last: upstream answered 500: scripted failure")
        #expect(down["model"] == nil || down["model"] is NSNull, "no model answered")
        #expect(down["model_attempts"] as? Int == 1)
        #expect((down["model_violations"] as? [String]) == [])
        #expect(down["passed"] as? Bool == true, "\(down["checks"] ?? "")")
        #expect((down["checks"] as? [[String: Any]])?.allSatisfy { $0["passed"] as? Bool == true } == true)
        #expect(try kit.upstreamCount() == 1)

        // A plan that still overlaps after its one repair (the first call is a cache miss: the 500 was
        // not stored): the built-in planner again, with the model's last violations kept.
        try kit.fake.script([try Self.reply(Self.overlappingPlan(s)), try Self.reply(Self.overlappingPlan(s))])
        let stubborn = try K.proposal(kit.app, editor, job: try K.generate(kit.app, editor, trip: s.crew.trip))
        #expect(stubborn["planner"] as? String == "builtin", "\(stubborn)")
        #expect(stubborn["fallback_reason"] as? String == "the model's plan still broke 1 rule(s) after 1 repair(s)")
        #expect(stubborn["model"] as? String == "fake-small")
        #expect(stubborn["model_attempts"] as? Int == 2)
        #expect((stubborn["model_violations"] as? [String]) == [Self.overlapLine])
        #expect(stubborn["passed"] as? Bool == true, "\(stubborn["checks"] ?? "")")
        let plan = try #require(stubborn["plan"] as? [[String: Any]])
        #expect(plan.contains { $0["item_id"] as? String == s.ideas["Belém Tower"] })
        #expect(try kit.upstreamCount() == 3)
    }

    @Test func planningCallsAreUsageOfTheTrip() throws {
        let kit = try GatewayKit()
        let s = try K.setup(kit.app)
        let editor = s.crew.editor
        try kit.fake.script([
            try Self.reply(Self.overlappingPlan(s), usage: (700, 30)),
            try Self.reply(Self.goodPlan(s), usage: (900, 40)),
        ])
        let job = try K.generate(kit.app, editor.accessToken, trip: s.crew.trip)
        #expect(try K.proposal(kit.app, editor.accessToken, job: job)["planner"] as? String == "model")

        // The requester's rows, on the trip, priced at fake-small's 1,000 in / 2,000 out nano-units a token.
        let rows = try kit.usageRows(editor.id)
        let trip = UUID(uuidString: s.crew.trip)
        #expect(rows.map(\.tripID) == [trip, trip])
        #expect(rows.map(\.status) == ["ok", "ok"])
        #expect(rows.map(\.promptTokens) == [700, 900])
        #expect(rows.map(\.completionTokens) == [30, 40])
        #expect(rows.map(\.costNanos) == [760_000, 980_000])
        #expect(rows.allSatisfy { $0.provider == "fake" && $0.model == "fake-small" && !$0.cacheHit })
        #expect(rows.allSatisfy { $0.apiKeyID == nil && !$0.stream })
        #expect(try kit.usageRows(s.crew.owner.id).isEmpty, "the owner asked for nothing")

        let report = try kit.app.call("GET", "/v1/ai/usage?group_by=trip", token: editor.accessToken)
        #expect(report.status == 200, "\(report.text)")
        let data = try #require(report.json["data"] as? [[String: Any]])
        try #require(data.count == 1, "\(report.text)")
        #expect(data[0]["key"] as? String == s.crew.trip)
        #expect(data[0]["requests"] as? Int == 2)
        #expect(data[0]["prompt_tokens"] as? Int == 1_600)
        #expect(data[0]["completion_tokens"] as? Int == 70)
        #expect(data[0]["cost_nanos"] as? Int == 1_740_000)
        #expect(data[0]["cache_hits"] as? Int == 0)
    }

    @Test func suggestionsFromTheModelThenFromTheCache() throws {
        let kit = try GatewayKit()
        let s = try K.setup(kit.app)
        let viewer = s.crew.viewer
        let offered: [[String: Any]] = (1...6).map { n in
            [
                "title": "Viewpoint \(n)", "kind": n == 2 ? "food" : "activity",
                "place": ["name": "Miradouro \(n)", "lat": 38.71 + Double(n) / 1000, "lon": -9.13],
                "reason": "Sunset over the river, number \(n)",
            ]
        }
        try kit.fake.script([["reply": try Self.text(["suggestions": offered])]])
        let body: [String: Any] = ["trip_id": s.crew.trip, "day": "2027-05-02"]

        let r = try kit.app.call("POST", "/v1/ai/suggest", json: body, token: viewer.accessToken)
        try #require(r.status == 200, "\(r.text)")
        #expect(r.string("trip_id") == s.crew.trip)
        #expect(r.string("day") == "2027-05-02")
        #expect(r.string("model") == "fake-small")
        let got = try #require(r.json["suggestions"] as? [[String: Any]])
        #expect(got.map { $0["title"] as? String ?? "" } == (1...5).map { "Viewpoint \($0)" }, "at most five")
        #expect(got[1]["kind"] as? String == "food")
        #expect(got[0]["reason"] as? String == "Sunset over the river, number 1")
        let place = try #require(got[2]["place"] as? [String: Any])
        #expect(place["name"] as? String == "Miradouro 3")
        #expect(place["lat"] as? Double == 38.713)
        #expect(place["lon"] as? Double == -9.13)

        let sent = try #require(try kit.fake.requests().first?["body"] as? [String: Any])
        #expect(sent["temperature"] as? Int == 0)
        #expect(
            ((sent["response_format"] as? [String: Any])?["json_schema"] as? [String: Any])?["name"] as? String
                == "trip_suggestions")
        let context = (sent["messages"] as? [[String: Any]])?.last?["content"] as? String ?? ""
        #expect(context.contains("\"focus_day\":\"2027-05-02\""), "\(context.prefix(300))")

        // The same question again: answered from the cache, the upstream not asked.
        let again = try kit.app.call("POST", "/v1/ai/suggest", json: body, token: viewer.accessToken)
        #expect(again.status == 200)
        #expect(again.raw.body == r.raw.body)
        #expect(try kit.upstreamCount() == 1)
        let rows = try kit.usageRows(viewer.id)
        #expect(rows.map(\.cacheHit) == [false, true])
        #expect(rows.map(\.tripID) == [UUID(uuidString: s.crew.trip), UUID(uuidString: s.crew.trip)])

        // Another member's identical question is not theirs to read from the cache: it goes upstream,
        // where the unscripted answer (an echo, not JSON) is a 502.
        let owner = try kit.app.call("POST", "/v1/ai/suggest", json: body, token: s.crew.owner.accessToken)
        #expect(owner.status == 502, "\(owner.text)")
        #expect(try kit.upstreamCount() == 2)
    }
}
