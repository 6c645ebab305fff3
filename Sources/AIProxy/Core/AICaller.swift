import Foundation
import Kernel

/// Who a model call is made for: whose budget it spends, whose usage row it becomes and whose cache
/// scope it reads. Built from the request's `Principal` (routes) or from a planning job's arguments.
public struct AICaller: Sendable, Equatable {
    public var userID: UUID
    /// The API key the call came with, when it did (key budgets and `key_id` in usage rows).
    public var apiKeyID: UUID?
    public var isAdmin: Bool
    /// The trip the call is about (planning, suggestions, or the `X-Trip-ID` header), for per-trip cost.
    public var tripID: UUID?

    public init(userID: UUID, apiKeyID: UUID? = nil, isAdmin: Bool = false, tripID: UUID? = nil) {
        self.userID = userID
        self.apiKeyID = apiKeyID
        self.isAdmin = isAdmin
        self.tripID = tripID
    }

    public init(_ principal: Principal, tripID: UUID? = nil) {
        var key: UUID?
        if case .apiKey(let id) = principal.credential { key = id }
        self.init(userID: principal.userID, apiKeyID: key, isAdmin: principal.role == .admin, tripID: tripID)
    }

    /// The cache scope: answers are shared only between calls of the same user and key.
    public var cacheScope: String {
        "u:" + userID.uuidString.lowercased() + (apiKeyID.map { "|k:" + $0.uuidString.lowercased() } ?? "")
    }
}
