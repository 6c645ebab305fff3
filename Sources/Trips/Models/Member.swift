import Foundation

/// A member of a trip, or an invitation waiting for its address to register.
public struct MemberView: Sendable, Encodable {
    /// Nil for a pending invitation.
    public var userId: String?
    public var email: String
    public var displayName: String?
    public var role: TripRole
    /// `active` or `pending`.
    public var status: String
    public var since: Date
}

/// `POST …/members`.
public struct InviteInput: Decodable, Sendable {
    public var email: String?
    public var role: String?
}

/// `PATCH …/members/{user_id}`.
public struct RoleInput: Decodable, Sendable {
    public var role: String?
}

/// `POST …/transfer-ownership`.
public struct TransferInput: Decodable, Sendable {
    public var userId: String?
}
