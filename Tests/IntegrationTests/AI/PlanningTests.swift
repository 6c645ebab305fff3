import Foundation
import TestSupport
import Testing

/// Itinerary planning over real sockets with PostgreSQL and the job workers, no AI provider configured
/// (the built-in planner answers): generate, follow the job, read the proposal and its checks, apply
/// it all or nothing, discard, and who may do what.
@Suite struct PlanningTests {
    typealias K = PlanningKit

    @Test func generatePollApplyAndApplyAgain() throws {
        let app = try AuthApp()
        let s = try K.setup(app)
        let editor = s.crew.editor.accessToken
        let job = try K.generate(app, editor, trip: s.crew.trip)
        #expect(job["state"] as? String == "completed", "\(job)")
        #expect(job["attempts"] as? Int == 1)
        #expect(job["max_attempts"] as? Int == 3)
        #expect((job["errors"] as? [Any])?.isEmpty == true)
        #expect(job["finalized_at"] is String)
        #expect(job["trip_id"] as? String == s.crew.trip)

        let proposal = try K.proposal(app, s.crew.viewer.accessToken, job: job)
        #expect(proposal["status"] as? String == "proposed")
        #expect(proposal["planner"] as? String == "builtin")
        #expect(proposal["fallback_reason"] as? String == "no AI provider is configured")
        #expect(proposal["passed"] as? Bool == true, "\(proposal["checks"] ?? "")")
        let checks = try #require(proposal["checks"] as? [[String: Any]])
        #expect(checks.count == 13)
        #expect(checks.allSatisfy { $0["passed"] as? Bool == true })
        let plan = try #require(proposal["plan"] as? [[String: Any]])
        let planned = Set(plan.compactMap { $0["item_id"] as? String })
        #expect(planned.contains(s.ideas["Belém Tower"] ?? "-"))
        #expect(!planned.contains(s.ideas["Casino Lisboa"] ?? "-"), "avoided")
        #expect(plan.allSatisfy { ["2027-05-01", "2027-05-02"].contains($0["day"] as? String ?? "") })
        let notes = proposal["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("Casino Lisboa") })

        let pid = try #require(proposal["id"] as? String)
        let applyPath = "/v1/trips/\(s.crew.trip)/proposals/\(pid)/apply"
        #expect(try app.call("POST", applyPath, token: s.crew.viewer.accessToken).status == 403)
        #expect(try app.call("POST", applyPath, token: s.crew.stranger.accessToken).status == 404)
        let applied = try app.call("POST", applyPath, token: editor)
        try #require(applied.status == 200, "\(applied.text)")
        #expect((applied.json["proposal"] as? [String: Any])?["status"] as? String == "applied")
        #expect((applied.json["items"] as? [Any])?.count == plan.count)

        let items = try K.items(app, editor, s.crew.trip)
        for entry in plan {
            let id = try #require(
                entry["item_id"] as? String ?? items.values.first {
                    $0["title"] as? String == entry["title"] as? String
                }?["id"] as? String)
            let item = try #require(items[id], "\(entry)")
            #expect(item["day"] as? String == entry["day"] as? String)
            #expect(item["start_time"] as? String == entry["start_time"] as? String)
            #expect(item["end_time"] as? String == entry["end_time"] as? String)
        }
        // The first day stays in time order around the booked tour.
        let day1 = try TripKit.dayOrder(app, editor, s.crew.trip, "2027-05-01")
        let starts = day1.compactMap { items[$0]?["start_time"] as? String }
        #expect(starts == starts.sorted())

        let again = try app.call("POST", applyPath, token: editor)
        #expect(again.status == 409)
        #expect(again.header("Content-Type") == "application/problem+json")
        let read = try app.call("GET", "/v1/trips/\(s.crew.trip)/proposals/\(pid)", token: editor)
        #expect(read.string("status") == "applied")
        #expect(read.string("applied_at") != nil)
    }

    @Test func whoMayGenerateAndSeeTheJob() throws {
        let app = try AuthApp()
        let s = try K.setup(app)
        let path = "/v1/trips/\(s.crew.trip)/itinerary/generate"
        #expect(try app.call("POST", path, json: K.request, token: s.crew.viewer.accessToken).status == 403)
        #expect(try app.call("POST", path, json: K.request, token: s.crew.stranger.accessToken).status == 404)
        #expect(try app.call("POST", path, json: K.request).status == 401)

        let bad = try app.call(
            "POST", path,
            json: [
                "pace": "sprint", "days": ["2027-06-01"], "budget": ["amount": 10, "currency": "USD"],
                "must_include": [UUID().uuidString], "extra": true,
            ], token: s.crew.editor.accessToken)
        #expect(bad.status == 400)
        let fields = Set((bad.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
        #expect(fields == ["pace", "days[0]", "budget.currency", "must_include[0]", "extra"], "\(bad.text)")

        let r = try app.call("POST", path, json: K.request, token: s.crew.editor.accessToken)
        #expect(r.status == 202)
        let location = try #require(r.header("Location"))
        #expect(location == "/v1/jobs/\(r.string("id") ?? "")")
        #expect(try app.call("GET", location, token: s.crew.owner.accessToken).status == 404, "not the requester")
        #expect(try app.call("GET", location, token: s.crew.stranger.accessToken).status == 404)
        #expect(try app.call("GET", "/v1/jobs/12", token: s.crew.editor.accessToken).status == 404)
        let job = try K.wait(app, s.crew.editor.accessToken, location)
        #expect(job["state"] as? String == "completed")
        let url = try #require(job["result_url"] as? String)
        #expect(try app.call("GET", url, token: s.crew.stranger.accessToken).status == 404)
        let list = try app.call("GET", "/v1/trips/\(s.crew.trip)/proposals", token: s.crew.viewer.accessToken)
        #expect((list.json["data"] as? [[String: Any]])?.count == 1)

        // A retried request with the same Idempotency-Key gets the same job.
        let key = "Idempotency-Key: plan-\(UUID().uuidString)"
        let first = try app.call("POST", path, json: K.request, token: s.crew.editor.accessToken, headers: [key])
        let second = try app.call("POST", path, json: K.request, token: s.crew.editor.accessToken, headers: [key])
        #expect(first.status == 202)
        #expect(second.string("id") == first.string("id"))
        #expect(second.header("Idempotent-Replayed") == "true")
    }

    @Test func aFailingApplyChangesNothing() throws {
        let app = try AuthApp()
        let s = try K.setup(app)
        let editor = s.crew.editor.accessToken
        let proposal = try K.proposal(app, editor, job: try K.generate(app, editor, trip: s.crew.trip))
        let pid = try #require(proposal["id"] as? String)
        let plan = try #require(proposal["plan"] as? [[String: Any]])
        try #require(plan.count >= 2)
        let before = try K.itinerary(app, editor, s.crew.trip)

        // The second entry becomes invalid for Trips (a day outside the trip) without the trip changing:
        // the first entry is valid, yet nothing is written and the proposal stays open.
        try app.database.pool.execute(
            "UPDATE ai_proposals SET plan = jsonb_set(plan, '{1,day}', '\"2031-01-01\"') WHERE id = $1::uuid", [pid])
        let refused = try app.call("POST", "/v1/trips/\(s.crew.trip)/proposals/\(pid)/apply", token: editor)
        #expect(refused.status == 409, "\(refused.text)")
        let fields = (refused.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        #expect(fields.contains { $0.hasSuffix(".day") }, "\(refused.text)")
        let after = try K.itinerary(app, editor, s.crew.trip)
        #expect(after.header("ETag") == before.header("ETag"))
        #expect(after.raw.body == before.raw.body)
        let read = try app.call("GET", "/v1/trips/\(s.crew.trip)/proposals/\(pid)", token: editor)
        #expect(read.string("status") == "proposed", "the claim was rolled back too")
    }

    @Test func aTripThatChangedIsRevalidated() throws {
        let app = try AuthApp()
        let s = try K.setup(app)
        let editor = s.crew.editor.accessToken
        let proposal = try K.proposal(app, editor, job: try K.generate(app, editor, trip: s.crew.trip))
        let pid = try #require(proposal["id"] as? String)
        let plan = try #require(proposal["plan"] as? [[String: Any]])
        let used = try #require(plan.compactMap { $0["item_id"] as? String }.first)

        // One of its ideas is deleted: refused with the violation, nothing written.
        #expect(try app.call("DELETE", "/v1/trips/\(s.crew.trip)/items/\(used)", token: editor).status == 204)
        let before = try K.itinerary(app, editor, s.crew.trip)
        let refused = try app.call("POST", "/v1/trips/\(s.crew.trip)/proposals/\(pid)/apply", token: editor)
        #expect(refused.status == 409)
        let messages = (refused.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.hasPrefix("items_known") && $0.contains(used) }, "\(refused.text)")
        let after = try K.itinerary(app, editor, s.crew.trip)
        #expect(after.raw.body == before.raw.body)

        // A change the plan does not care about: re-checked, it still holds, so it applies.
        let fresh = try K.proposal(app, editor, job: try K.generate(app, editor, trip: s.crew.trip))
        try TripKit.addItem(app, s.crew.owner.accessToken, s.crew.trip, ["kind": "note", "title": "Pack sunscreen"])
        let freshID = try #require(fresh["id"] as? String)
        let ok = try app.call("POST", "/v1/trips/\(s.crew.trip)/proposals/\(freshID)/apply", token: editor)
        #expect(ok.status == 200, "\(ok.text)")
        #expect((ok.json["items"] as? [Any])?.isEmpty == false)
    }

    @Test func discardThenApplyIsRefused() throws {
        let app = try AuthApp()
        let s = try K.setup(app)
        let editor = s.crew.editor.accessToken
        let proposal = try K.proposal(app, editor, job: try K.generate(app, editor, trip: s.crew.trip))
        let pid = try #require(proposal["id"] as? String)
        let path = "/v1/trips/\(s.crew.trip)/proposals/\(pid)"
        #expect(try app.call("DELETE", path, token: s.crew.viewer.accessToken).status == 403)
        #expect(try app.call("DELETE", path, token: s.crew.stranger.accessToken).status == 404)
        let discarded = try app.call("DELETE", path, token: editor)
        #expect(discarded.status == 200)
        #expect(discarded.string("status") == "discarded")
        #expect(try app.call("GET", path, token: s.crew.viewer.accessToken).string("status") == "discarded")
        #expect(try app.call("POST", path + "/apply", token: editor).status == 409)
        #expect(try app.call("DELETE", path, token: editor).status == 409)
    }

    @Test func suggestWithoutAProviderIs503() throws {
        let app = try AuthApp()
        let s = try K.setup(app)
        let r = try app.call(
            "POST", "/v1/ai/suggest", json: ["trip_id": s.crew.trip, "day": "2027-05-02"],
            token: s.crew.viewer.accessToken)
        #expect(r.status == 503)
        #expect(r.header("Content-Type") == "application/problem+json")
        #expect(r.string("detail")?.contains("No AI provider") == true)
        let stranger = try app.call(
            "POST", "/v1/ai/suggest", json: ["trip_id": s.crew.trip], token: s.crew.stranger.accessToken)
        #expect(stranger.status == 404)
        let bad = try app.call(
            "POST", "/v1/ai/suggest", json: ["trip_id": s.crew.trip, "day": "2030-01-01"],
            token: s.crew.viewer.accessToken)
        #expect(bad.status == 400)
    }
}
