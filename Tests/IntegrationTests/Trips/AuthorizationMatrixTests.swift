import Foundation
import Testing

/// Every trip-scoped route against every kind of caller: non-members get 404, viewers read, editors
/// write items, expenses and checklists, only the owner manages members, share links, deletion and
/// ownership; API keys act as their owner within their scopes (403 `insufficient_scope` without them);
/// no credentials is 401 with a Bearer challenge. Destructive routes get a fresh target per attempt, so
/// one caller's success never turns the next caller's answer into a 404.
@Suite struct AuthorizationMatrixTests {
    /// Who calls. The API keys belong to the owner.
    enum Caller: String, CaseIterable, CustomStringConvertible {
        case owner, editor, viewer, stranger, readKey, writeKey, aiKey, anonymous

        var description: String { rawValue }

        /// The trip role the caller acts with; nil for non-members.
        var role: Role? {
            switch self {
            case .owner, .readKey, .writeKey, .aiKey: .owner
            case .editor: .editor
            case .viewer: .viewer
            case .stranger, .anonymous: nil
            }
        }
    }

    enum Role: Int, Comparable {
        case viewer, editor, owner
        static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
    }

    /// One route: the least role it needs, whether it needs `trips:write`, and what success looks like.
    struct Cell {
        var method: String
        var need: Role
        var write: Bool
        var success: Set<Int>
        /// What a member below `need` gets: 403, or 404 where the target is invisible to them (the trash).
        var denied = 403
        /// The path of one attempt, making a fresh target when the route destroys it.
        var path: () throws -> String
        var body: () -> [String: Any]? = { nil }

        func expected(for caller: Caller) -> Set<Int> {
            switch caller {
            case .anonymous: return [401]
            case .aiKey: return [403]
            case .readKey where write: return [403]
            default:
                guard let role = caller.role else { return [404] }
                return role >= need ? success : [denied]
            }
        }
    }

    /// The app, the crew, the owner's keys, and fixtures made by the owner.
    final class World {
        let app: AuthApp
        let crew: TripKit.Crew
        let tokens: [Caller: String]
        /// A member of every `newTrip`, to hand ownership to (nobody may transfer to themselves).
        let heir: Account

        init() throws {
            app = try AuthApp { $0.trips.weatherURL = "http://127.0.0.1:9" }
            crew = try TripKit.crew(app)
            heir = try app.register(name: "Heir")
            let owner = crew.owner.accessToken
            tokens = [
                .owner: owner, .editor: crew.editor.accessToken, .viewer: crew.viewer.accessToken,
                .stranger: crew.stranger.accessToken,
                .readKey: try AccountKit.createKey(app, owner, scopes: ["trips:read"]),
                .writeKey: try AccountKit.createKey(app, owner, scopes: ["trips:read", "trips:write"]),
                .aiKey: try AccountKit.createKey(app, owner, scopes: ["ai"]),
            ]
        }

        var base: String { "/v1/trips/\(crew.trip)" }
        var owner: String { crew.owner.accessToken }

        static var itemBody: [String: Any] { ["kind": "note", "title": "n", "day": "2027-05-02"] }

        var expenseBody: [String: Any] { TripKit.taxi(crew) }

        /// A POST by the owner that must create something; its answer.
        func create(_ path: String, _ body: [String: Any]) throws -> [String: Any] {
            let r = try app.call("POST", path, json: body, token: owner)
            guard r.status == 201 else { throw TestFailure("POST \(path) \(r.status): \(r.text)") }
            return r.json
        }

        func id(_ json: [String: Any]) throws -> String {
            guard let id = json["id"] as? String else { throw TestFailure("no id in \(json)") }
            return id
        }

        func newItem() throws -> String { try id(create("\(base)/items", Self.itemBody)) }
        func newExpense() throws -> String { try id(create("\(base)/expenses", expenseBody)) }
        func newChecklist() throws -> String {
            try id(create("\(base)/checklists", ["title": "Pack", "items": ["a"]]))
        }
        func newLink() throws -> String { try id(create("\(base)/share-links", ["sections": ["itinerary"]])) }

        /// A fresh entry in `list`; the answer is the whole checklist, so the entry is found by its text.
        func newEntry(in list: String) throws -> String {
            let text = "entry \(UUID())"
            let items = try create("\(base)/checklists/\(list)/items", ["text": text])["items"] as? [[String: Any]]
            guard let entry = items?.first(where: { $0["text"] as? String == text })?["id"] as? String else {
                throw TestFailure("no entry \(text)")
            }
            return entry
        }

        /// A registered account that joins the crew trip as a viewer; its user id.
        func newMember() throws -> String {
            let account = try app.register(name: "Extra")
            _ = try create("\(base)/members", ["email": account.email, "role": "viewer"])
            return account.id
        }

        /// A pending invitation to an unknown address; the address.
        func newInvite() throws -> String {
            let email = Self.freshEmail()
            _ = try create("\(base)/members", ["email": email, "role": "viewer"])
            return email
        }

        static func freshEmail() -> String { "invitee-\(UUID().uuidString.prefix(8).lowercased())@example.com" }

        /// A new trip of the owner with the editor, the viewer and the heir in it; deleted (in the owner's
        /// trash) on request.
        func newTrip(deleted: Bool = false) throws -> String {
            let trip = try TripKit.createTrip(app, owner)
            for (who, role) in [(crew.editor, "editor"), (crew.viewer, "viewer"), (heir, "viewer")] {
                _ = try create("/v1/trips/\(trip)/members", ["email": who.email, "role": role])
            }
            if deleted {
                let r = try app.call("DELETE", "/v1/trips/\(trip)", token: owner)
                guard r.status == 204 else { throw TestFailure("delete trip \(r.status): \(r.text)") }
            }
            return trip
        }
    }

    @Test func everyTripRouteForEveryCaller() throws {
        let w = try World()
        let b = w.base
        let item = try w.newItem()
        let expense = try w.newExpense()
        let list = try w.newChecklist()
        let entry = try w.newEntry(in: list)
        let member = try w.newMember()
        let heir = w.heir.id
        let ok: Set<Int> = [200]
        let created: Set<Int> = [201]
        let gone: Set<Int> = [204]

        let cells: [Cell] = [
            // The trip itself.
            Cell(method: "GET", need: .viewer, write: false, success: ok, path: { b }),
            Cell(method: "PATCH", need: .editor, write: true, success: ok, path: { b }, body: { ["title": "x"] }),
            Cell(method: "DELETE", need: .owner, write: true, success: gone, path: { "/v1/trips/\(try w.newTrip())" }),
            Cell(
                method: "POST", need: .owner, write: true, success: ok, denied: 404,
                path: { "/v1/trips/\(try w.newTrip(deleted: true))/restore" }),
            Cell(
                method: "POST", need: .viewer, write: true, success: created, path: { "\(b)/duplicate" },
                body: { ["start_date": "2027-09-01"] }),
            Cell(method: "GET", need: .viewer, write: false, success: ok, path: { "\(b)/itinerary" }),
            // Items.
            Cell(method: "GET", need: .viewer, write: false, success: ok, path: { "\(b)/items" }),
            Cell(
                method: "POST", need: .editor, write: true, success: created, path: { "\(b)/items" },
                body: { World.itemBody }),
            Cell(method: "GET", need: .viewer, write: false, success: ok, path: { "\(b)/items/\(item)" }),
            Cell(
                method: "PATCH", need: .editor, write: true, success: ok, path: { "\(b)/items/\(item)" },
                body: { ["title": "n2"] }),
            Cell(
                method: "DELETE", need: .editor, write: true, success: gone, path: { "\(b)/items/\(try w.newItem())" }),
            Cell(
                method: "POST", need: .editor, write: true, success: ok, path: { "\(b)/items/\(item)/move" },
                body: { ["day": "2027-05-03"] }),
            // Members, invitations, ownership.
            Cell(method: "GET", need: .viewer, write: false, success: ok, path: { "\(b)/members" }),
            Cell(
                method: "POST", need: .owner, write: true, success: created, path: { "\(b)/members" },
                body: { ["email": World.freshEmail(), "role": "viewer"] }),
            Cell(
                method: "PATCH", need: .owner, write: true, success: gone, path: { "\(b)/members/\(member)" },
                body: { ["role": "viewer"] }),
            Cell(
                method: "DELETE", need: .owner, write: true, success: gone,
                path: { "\(b)/members/\(try w.newMember())" }),
            Cell(
                method: "DELETE", need: .owner, write: true, success: gone,
                path: { "\(b)/invites/\(try w.newInvite())" }),
            Cell(
                method: "POST", need: .owner, write: true, success: gone,
                path: { "/v1/trips/\(try w.newTrip())/transfer-ownership" }, body: { ["user_id": heir] }),
            // Share links.
            Cell(method: "GET", need: .owner, write: false, success: ok, path: { "\(b)/share-links" }),
            Cell(
                method: "POST", need: .owner, write: true, success: created, path: { "\(b)/share-links" },
                body: { ["sections": ["itinerary"]] }),
            Cell(
                method: "DELETE", need: .owner, write: true, success: gone,
                path: { "\(b)/share-links/\(try w.newLink())" }),
            // Expenses.
            Cell(method: "GET", need: .viewer, write: false, success: ok, path: { "\(b)/expenses" }),
            Cell(
                method: "POST", need: .editor, write: true, success: created, path: { "\(b)/expenses" },
                body: { w.expenseBody }),
            Cell(method: "GET", need: .viewer, write: false, success: ok, path: { "\(b)/expenses/\(expense)" }),
            Cell(
                method: "PATCH", need: .editor, write: true, success: ok, path: { "\(b)/expenses/\(expense)" },
                body: { w.expenseBody }),
            Cell(
                method: "DELETE", need: .editor, write: true, success: gone,
                path: { "\(b)/expenses/\(try w.newExpense())" }),
            Cell(method: "GET", need: .viewer, write: false, success: ok, path: { "\(b)/balances" }),
            // Checklists.
            Cell(method: "GET", need: .viewer, write: false, success: ok, path: { "\(b)/checklists" }),
            Cell(
                method: "POST", need: .editor, write: true, success: created, path: { "\(b)/checklists" },
                body: { ["title": "Pack", "items": ["a"]] }),
            Cell(
                method: "PATCH", need: .editor, write: true, success: ok, path: { "\(b)/checklists/\(list)" },
                body: { ["title": "Pack 2"] }),
            Cell(
                method: "DELETE", need: .editor, write: true, success: gone,
                path: { "\(b)/checklists/\(try w.newChecklist())" }),
            Cell(
                method: "POST", need: .editor, write: true, success: created,
                path: { "\(b)/checklists/\(list)/items" }, body: { ["text": "b"] }),
            Cell(
                method: "PATCH", need: .editor, write: true, success: ok,
                path: { "\(b)/checklists/\(list)/items/\(entry)" }, body: { ["checked": true] }),
            Cell(
                method: "DELETE", need: .editor, write: true, success: gone,
                path: { "\(b)/checklists/\(list)/items/\(try w.newEntry(in: list))" }),
            Cell(
                method: "POST", need: .editor, write: true, success: ok,
                path: { "\(b)/checklists/\(list)/items/\(entry)/move" }),
            // Geography: weather depends on the provider (unreachable here), so any of its answers is "allowed".
            Cell(method: "GET", need: .viewer, write: false, success: [200, 422, 503], path: { "\(b)/weather" }),
            Cell(
                method: "POST", need: .viewer, write: false, success: ok, path: { "\(b)/days/2027-05-02/optimize" },
                body: { ["dry_run": true] }),
            Cell(
                method: "POST", need: .editor, write: true, success: ok, path: { "\(b)/days/2027-05-02/optimize" },
                body: { [:] }),
        ]

        for cell in cells {
            for caller in Caller.allCases {
                let path = try cell.path()
                let expected = cell.expected(for: caller)
                let r = try w.app.call(cell.method, path, json: cell.body(), token: w.tokens[caller])
                #expect(expected.contains(r.status), "\(caller) \(cell.method) \(path): \(r.status) \(r.text)")
                let challenge = r.header("WWW-Authenticate") ?? ""
                if caller == .anonymous {
                    #expect(challenge.hasPrefix("Bearer "), "\(cell.method) \(path): \(challenge)")
                }
                if caller == .aiKey || (caller == .readKey && cell.write) {
                    #expect(challenge.contains("insufficient_scope"), "\(caller) \(cell.method) \(path): \(challenge)")
                }
            }
        }
    }
}
