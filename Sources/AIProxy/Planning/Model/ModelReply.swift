import Foundation
import Kernel
import Trips

/// Reads a plan out of a `chat.completion`: the first choice's tool-call arguments when it called a
/// tool, else its message content (a code fence around the JSON is tolerated). Fields a model left
/// out become empty values, for the validator to name, rather than a refusal of the whole plan.
enum ModelReply {
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// The text the model answered (kept for the repair turn) and the model that answered.
    static func text(_ completion: JSONValue) throws(Unreadable) -> (text: String, model: String?) {
        let model = completion["model"]?.stringValue
        guard let message = completion["choices"]?.arrayValue?.first?["message"] else {
            throw Unreadable(description: "the answer has no message")
        }
        if let arguments = message["tool_calls"]?.arrayValue?.first?["function"]?["arguments"]?.stringValue {
            return (arguments, model)
        }
        guard let content = message["content"]?.stringValue, !content.isEmpty else {
            throw Unreadable(description: "the answer has no content")
        }
        return (content, model)
    }

    static func items(_ text: String) throws(Unreadable) -> [PlanItem] {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix("```") {
            body = String(body.drop { $0 != "\n" }.dropFirst())
            if body.hasSuffix("```") { body = String(body.dropLast(3)) }
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            throw Unreadable(description: "the answer is not JSON (\(error))")
        }
        guard let list = value["items"]?.arrayValue else {
            throw Unreadable(description: "the answer is not an object with an \"items\" array")
        }
        return list.map(item)
    }

    private static func item(_ v: JSONValue) -> PlanItem {
        func text(_ key: String) -> String? { v[key]?.stringValue }
        var place: PlanPlace?
        if let p = v["place"], p["name"] != nil || p["lat"] != nil {
            place = PlanPlace(
                name: p["name"]?.stringValue ?? "", lat: p["lat"]?.doubleValue, lon: p["lon"]?.doubleValue)
        }
        var cost: MoneyAmount?
        if let c = v["cost"], let amount = c["amount"]?.intValue {
            cost = MoneyAmount(amount: Int64(amount), currency: c["currency"]?.stringValue ?? "")
        }
        var hours: OpeningHours?
        if let h = v["opening_hours"], let opens = h["opens"]?.stringValue, let closes = h["closes"]?.stringValue {
            hours = OpeningHours(opens: opens, closes: closes)
        }
        return PlanItem(
            itemId: text("item_id"), day: text("day") ?? "", startTime: text("start_time") ?? "",
            endTime: text("end_time") ?? "", title: text("title") ?? "", kind: text("kind") ?? "", place: place,
            cost: cost, notes: text("notes"), openingHours: hours)
    }
}
