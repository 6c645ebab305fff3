import Foundation
import TestSupport
import Testing

/// Expenses and balances: splits that do not divide evenly, foreign currencies with their rate,
/// settlement with the fewest transfers, never a cent lost or invented.
@Suite struct ExpenseTests {
    static func expense(
        _ payer: Account, _ among: [Any], type: String = "equal", amount: Int, currency: String = "EUR",
        rate: Any? = nil,
        category: String = "food"
    ) -> [String: Any] {
        var body: [String: Any] = [
            "description": "Spent", "amount": amount, "currency": currency, "paid_by": payer.id,
            "split": ["type": type, "among": among], "category": category, "date": "2027-05-02",
        ]
        if let rate { body["rate"] = rate }
        return body
    }

    @Test func thirdsMixedCurrenciesAndSettlement() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        let (o, e, v) = (crew.owner, crew.editor, crew.viewer)
        let t = crew.trip
        func post(_ body: [String: Any], by who: Account) throws -> APIResponse {
            try app.call("POST", "/v1/trips/\(t)/expenses", json: body, token: who.accessToken)
        }
        // 100.00 € in thirds: 33.34 + 33.33 + 33.33.
        let thirds = try post(Self.expense(o, [o.id, e.id, v.id], amount: 10_000), by: o)
        #expect(thirds.status == 201)
        let shares = try #require(thirds.json["shares"] as? [[String: Any]])
        #expect(shares.compactMap { $0["amount"] as? Int }.sorted() == [3333, 3333, 3334])
        // 5,000 JPY at 0.0061 EUR per yen = 30.50 €, by shares 1:2.
        let yen = try post(
            Self.expense(
                e, [["user_id": e.id, "shares": 1], ["user_id": v.id, "shares": 2]], type: "shares", amount: 5000,
                currency: "JPY", rate: "0.0061"), by: e)
        #expect(yen.status == 201)
        #expect(yen.json["converted_amount"] as? Int == 3050)
        #expect(yen.string("rate") == "0.0061")
        // 20.00 USD at 0.92, exact parts 7.00 + 13.00 (converted: 6.44 + 11.96 = 18.40).
        let usd = try post(
            Self.expense(
                v, [["user_id": o.id, "amount": 700], ["user_id": v.id, "amount": 1300]], type: "exact", amount: 2000,
                currency: "USD", rate: 0.92, category: "transport"), by: e)
        #expect(usd.status == 201)
        #expect(usd.json["converted_amount"] as? Int == 1840)
        #expect((usd.json["shares"] as? [[String: Any]])?.compactMap { $0["amount"] as? Int }.reduce(0, +) == 1840)

        let balances = try app.call("GET", "/v1/trips/\(t)/balances", token: v.accessToken)
        #expect(balances.status == 200)
        #expect(balances.string("currency") == "EUR")
        let members = try #require(balances.json["members"] as? [[String: Any]])
        let net = Dictionary(
            uniqueKeysWithValues: members.map { ($0["user_id"] as? String ?? "", $0["net"] as? Int ?? 0) })
        #expect(net.values.reduce(0, +) == 0)
        #expect(balances.json["total_spent"] as? Int == 10_000 + 3050 + 1840)
        // Applying the transfers zeroes everyone, and there are at most n − 1 of them.
        let transfers = try #require(balances.json["transfers"] as? [[String: Any]])
        #expect(transfers.count <= 2)
        var settled = net
        for t in transfers {
            let amount = try #require(t["amount"] as? Int)
            #expect(amount > 0)
            settled[t["from"] as? String ?? "", default: 0] += amount
            settled[t["to"] as? String ?? "", default: 0] -= amount
        }
        #expect(settled.values.allSatisfy { $0 == 0 })

        // A recorded repayment settles the debt it names.
        for t in transfers {
            let from = [o, e, v].first { $0.id == t["from"] as? String }
            let payer = try #require(from)
            let r = try post(
                Self.expense(
                    payer, [["user_id": t["to"] as? String ?? "", "amount": t["amount"] as? Int ?? 0]], type: "exact",
                    amount: t["amount"] as? Int ?? 0, category: "settlement"), by: o)
            #expect(r.status == 201)
        }
        let after = try app.call("GET", "/v1/trips/\(t)/balances", token: o.accessToken)
        #expect((after.json["transfers"] as? [Any])?.isEmpty == true)
        #expect((after.json["members"] as? [[String: Any]])?.allSatisfy { $0["net"] as? Int == 0 } == true)
    }

    @Test func validationAndMembership() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        let t = crew.trip
        let missingRate = try app.call(
            "POST", "/v1/trips/\(t)/expenses",
            json: Self.expense(crew.owner, [crew.owner.id], amount: 100, currency: "USD"),
            token: crew.owner.accessToken)
        #expect(AccountKit.errorFields(missingRate) == ["rate"])
        let stranger = try app.call(
            "POST", "/v1/trips/\(t)/expenses",
            json: Self.expense(crew.stranger, [crew.owner.id, crew.stranger.id], amount: 100),
            token: crew.owner.accessToken)
        #expect(AccountKit.errorFields(stranger) == ["paid_by", "split.among[1]"])
        let exactWrong = try app.call(
            "POST", "/v1/trips/\(t)/expenses",
            json: Self.expense(crew.owner, [["user_id": crew.owner.id, "amount": 50]], type: "exact", amount: 100),
            token: crew.owner.accessToken)
        #expect(exactWrong.status == 400)
        let everything = try app.call(
            "POST", "/v1/trips/\(t)/expenses",
            json: [
                "amount": "12", "currency": "EURO", "split": ["type": "thirds", "among": []], "category": "bribes",
            ],
            token: crew.owner.accessToken)
        #expect(everything.status == 400)
        // The trip currency cannot change under recorded expenses.
        #expect(
            try app.call(
                "POST", "/v1/trips/\(t)/expenses", json: Self.expense(crew.owner, [crew.owner.id], amount: 100),
                token: crew.owner.accessToken
            )
            .status == 201)
        let change = try app.call("PATCH", "/v1/trips/\(t)", json: ["currency": "USD"], token: crew.owner.accessToken)
        #expect(change.status == 409)
    }

    @Test func patchDeleteAndPages() throws {
        let app = try AuthApp()
        let a = try app.register()
        let t = try TripKit.createTrip(app, a.accessToken)
        var ids: [String] = []
        for amount in [100, 200, 300] {
            let r = try app.call(
                "POST", "/v1/trips/\(t)/expenses", json: Self.expense(a, [a.id], amount: amount), token: a.accessToken)
            ids.append(try #require(r.string("id")))
        }
        let page1 = try app.call("GET", "/v1/trips/\(t)/expenses?limit=2", token: a.accessToken)
        let cursor = try #require(page1.json["next_cursor"] as? String)
        let page2 = try app.call("GET", "/v1/trips/\(t)/expenses?limit=2&cursor=\(cursor)", token: a.accessToken)
        let seen = ((page1.json["data"] as? [[String: Any]] ?? []) + (page2.json["data"] as? [[String: Any]] ?? []))
            .compactMap { $0["id"] as? String }
        #expect(seen == ids.reversed())
        let one = try app.call("GET", "/v1/trips/\(t)/expenses/\(ids[0])", token: a.accessToken)
        let etag = try #require(one.header("ETag"))
        let patched = try app.call(
            "PATCH", "/v1/trips/\(t)/expenses/\(ids[0])", json: ["amount": 150], token: a.accessToken,
            headers: ["If-Match: \(etag)"])
        #expect(patched.status == 200)
        #expect(patched.json["converted_amount"] as? Int == 150)
        #expect(
            try app.call(
                "DELETE", "/v1/trips/\(t)/expenses/\(ids[0])", token: a.accessToken, headers: ["If-Match: \(etag)"]
            ).status
                == 412)
        #expect(try app.call("DELETE", "/v1/trips/\(t)/expenses/\(ids[0])", token: a.accessToken).status == 204)
        #expect(try app.call("GET", "/v1/trips/\(t)/balances", token: a.accessToken).json["total_spent"] as? Int == 500)
    }
}
