import Foundation
import HTTP
import Kernel
import Postgres

/// Budgets: an admin sets a user's (`/v1/admin/ai/budgets/users/{id}`), a key's owner sets the key's
/// (`/v1/ai/budgets/keys/{id}`, from a session: an API key may not lift its own limit), and anyone
/// reads theirs with current usage (`GET /v1/ai/budgets`). One budget per subject and period; PUT
/// replaces it, DELETE removes one period (`?period=`) or both.
struct BudgetRoutes {
    let store: BudgetStore
    let keyOwners: APIKeyOwners
    let currency: String
    let middleware: [any Middleware]

    /// `{"period": "day"|"month", "max_tokens": n|null, "max_cost_nanos": n|null}`.
    struct Body: Decodable {
        var period: String?
        var maxTokens: Int64?
        var maxCostNanos: Int64?
    }

    static let bodySchema: JSONValue = [
        "type": "object", "required": ["period"],
        "properties": [
            "period": ["type": "string", "enum": ["day", "month"]],
            "max_tokens": ["type": ["integer", "null"], "minimum": 0],
            "max_cost_nanos": ["type": ["integer", "null"], "minimum": 0, "description": "Nano-units of currency"],
        ],
    ]

    func register(_ routes: inout Routes) {
        let store = self.store
        let keyOwners = self.keyOwners
        let currency = self.currency
        routes.put(
            "/v1/admin/ai/budgets/users/{id}", bodyLimit: 1024, middleware: middleware,
            doc: RouteDoc(
                summary: "Set a user's AI budget for a day or month (admin)", tags: ["ai", "admin"],
                requestBody: RequestBodyDoc(schema: Self.bodySchema),
                responses: [
                    ResponseDoc(200, "The budget"), .problem(400, "Invalid budget"), .problem(404, "No such user"),
                ])
        ) { request in
            _ = try request.authenticatedAdmin()
            let user = try Self.id(request, "No such user.")
            let budget = try Self.budget(request, subject: .user, id: user)
            do {
                try store.put(budget, owner: user)
            } catch let error as PostgresError where error.sqlState == "23503" {
                throw HTTPError(.notFound, detail: "No such user.")
            }
            return try Self.view(budget, store: store, currency: currency)
        }
        routes.delete(
            "/v1/admin/ai/budgets/users/{id}", middleware: middleware,
            doc: RouteDoc(
                summary: "Remove a user's AI budget (admin)", tags: ["ai", "admin"],
                parameters: [ParameterDoc("period", description: "day or month; both when absent")],
                responses: [ResponseDoc(204, "Removed", contentType: nil), .problem(404, "No such budget")])
        ) { request in
            _ = try request.authenticatedAdmin()
            let user = try Self.id(request, "No such budget.")
            guard try store.delete(subject: .user, id: user, period: try Self.period(request)) else {
                throw HTTPError(.notFound, detail: "No such budget.")
            }
            return .noContent
        }
        routes.put(
            "/v1/ai/budgets/keys/{id}", bodyLimit: 1024, middleware: middleware,
            doc: RouteDoc(
                summary: "Set an API key's AI budget (the key's owner, from a session; or an admin)", tags: ["ai"],
                requestBody: RequestBodyDoc(schema: Self.bodySchema),
                responses: [
                    ResponseDoc(200, "The budget"), .problem(400, "Invalid budget"), .problem(404, "No such key"),
                ])
        ) { request in
            let key = try Self.id(request, "No such API key.")
            let owner = try Self.keyOwner(request, key: key, keyOwners: keyOwners)
            let budget = try Self.budget(request, subject: .apiKey, id: key)
            try store.put(budget, owner: owner)
            return try Self.view(budget, store: store, currency: currency)
        }
        routes.delete(
            "/v1/ai/budgets/keys/{id}", middleware: middleware,
            doc: RouteDoc(
                summary: "Remove an API key's AI budget", tags: ["ai"],
                parameters: [ParameterDoc("period", description: "day or month; both when absent")],
                responses: [ResponseDoc(204, "Removed", contentType: nil), .problem(404, "No such budget")])
        ) { request in
            let key = try Self.id(request, "No such API key.")
            _ = try Self.keyOwner(request, key: key, keyOwners: keyOwners)
            guard try store.delete(subject: .apiKey, id: key, period: try Self.period(request)) else {
                throw HTTPError(.notFound, detail: "No such budget.")
            }
            return .noContent
        }
        routes.get(
            "/v1/ai/budgets", middleware: middleware,
            doc: RouteDoc(
                summary: "My AI budgets (mine and my keys') with what the current period has used", tags: ["ai"],
                responses: [ResponseDoc(200, "{data: [budget with used_tokens, used_cost_nanos, resets_at]}")])
        ) { request in
            let principal = try request.authenticated(scope: .ai)
            let now = Date()
            store.usage.flush()
            let data = try store.owned(by: principal.userID).map {
                try Self.json($0, store: store, currency: currency, now: now)
            }
            let body: JSONValue = ["data": .array(data)]
            return Response(status: .ok, contentType: "application/json", body: body.bytes)
        }
    }

    /// The key's owner, when the caller may manage the key's budget: its owner from a session, or an
    /// admin. Someone else's key is 404 (DESIGN §6).
    static func keyOwner(_ request: Request, key: UUID, keyOwners: APIKeyOwners) throws -> UUID {
        let principal = try request.authenticated(scope: .ai)
        let admin = principal.role == .admin && principal.allows(.admin)
        if case .apiKey = principal.credential, !admin {
            throw HTTPError(.forbidden, detail: "API keys cannot change budgets; sign in to change them.")
        }
        guard let owner = try keyOwners.owner(of: key), owner == principal.userID || admin else {
            throw HTTPError(.notFound, detail: "No such API key.")
        }
        return owner
    }

    static func id(_ request: Request, _ notFound: String) throws -> UUID {
        guard let id = request.parameters["id"].flatMap(UUID.init(uuidString:)) else {
            throw HTTPError(.notFound, detail: notFound)
        }
        return id
    }

    static func period(_ request: Request) throws -> BudgetBreach.Period? {
        guard let raw = request.queryValue("period") else { return nil }
        guard let period = BudgetBreach.Period(rawValue: raw) else {
            throw HTTPError.invalid([.init(field: "period", message: "must be day or month")], title: "Invalid query")
        }
        return period
    }

    /// The request body as a budget; 400 naming every bad field.
    static func budget(_ request: Request, subject: BudgetBreach.Subject, id: UUID) throws -> Budget {
        let body = try request.decodeJSON(Body.self)
        var errors: [HTTPError.FieldError] = []
        let period = body.period.flatMap(BudgetBreach.Period.init(rawValue:))
        if period == nil { errors.append(.init(field: "period", message: "must be day or month")) }
        if let t = body.maxTokens, t < 0 { errors.append(.init(field: "max_tokens", message: "must not be negative")) }
        if let c = body.maxCostNanos, c < 0 {
            errors.append(.init(field: "max_cost_nanos", message: "must not be negative"))
        }
        if body.maxTokens == nil, body.maxCostNanos == nil {
            errors.append(.init(field: "max_tokens", message: "or max_cost_nanos is required"))
        }
        guard errors.isEmpty, let period else { throw HTTPError.invalid(errors) }
        return Budget(
            subject: subject, subjectID: id, period: period, maxTokens: body.maxTokens, maxCostNanos: body.maxCostNanos)
    }

    static func view(_ budget: Budget, store: BudgetStore, currency: String) throws -> Response {
        store.usage.flush()
        let body = try json(budget, store: store, currency: currency, now: Date())
        return Response(status: .ok, contentType: "application/json", body: body.bytes)
    }

    static func json(_ budget: Budget, store: BudgetStore, currency: String, now: Date) throws -> JSONValue {
        let used = try store.used(budget, now: now)
        let period = BudgetPeriod(budget.period)
        return [
            "subject": .string(budget.subject.rawValue),
            "subject_id": .string(budget.subjectID.uuidString.lowercased()),
            "period": .string(budget.period.rawValue), "max_tokens": budget.maxTokens.map { .int(Int($0)) } ?? .null,
            "max_cost_nanos": budget.maxCostNanos.map { .int(Int($0)) } ?? .null, "currency": .string(currency),
            "used_tokens": .int(Int(used.tokens)), "used_cost_nanos": .int(Int(used.costNanos)),
            "period_start": .string(RFC3339.format(period.start(containing: now))),
            "resets_at": .string(RFC3339.format(period.end(containing: now))),
        ]
    }
}
