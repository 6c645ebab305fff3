import Foundation
import HTTP

/// A global role (DESIGN §7). Trip roles (owner, editor, viewer) belong to Trips.
public enum GlobalRole: String, Sendable, Codable, CaseIterable {
    case user
    case admin
}

/// What an API key may do. A user's own session (an access token) may do everything its role allows.
public enum Scope: String, Sendable, Codable, CaseIterable, Comparable {
    case tripsRead = "trips:read"
    case tripsWrite = "trips:write"
    case ai
    case export
    case admin

    public static func < (a: Scope, b: Scope) -> Bool { a.rawValue < b.rawValue }
}

/// Who is calling: put on the request by the authentication middleware that the executable installs
/// (Auth implements it), read by every module through `Request.authenticated(scope:)`.
public struct Principal: Sendable, Equatable {
    public enum Credential: Sendable, Equatable {
        /// A user's session: the access token's `jti`.
        case accessToken(id: String)
        /// An API key, by its id.
        case apiKey(id: UUID)
        /// A calendar feed's secret URL, by the feed's id: reads the owner's trips, nothing else.
        case calendarFeed(id: UUID)
        /// An export job rendering what its requester asked for, by the export's id: reads as them.
        case export(id: UUID)
    }

    public let userID: UUID
    public let role: GlobalRole
    public let credential: Credential
    /// The API key's scopes; nil for a session, which is not narrowed.
    public let scopes: Set<Scope>?

    public init(userID: UUID, role: GlobalRole, credential: Credential, scopes: Set<Scope>?) {
        self.userID = userID
        self.role = role
        self.credential = credential
        self.scopes = scopes
    }

    /// True when the credential carries `scope` (sessions carry all).
    public func allows(_ scope: Scope) -> Bool {
        scopes?.contains(scope) ?? true
    }

    /// The user id as the API and logs spell it (lower-case).
    public var userIDString: String { userID.uuidString.lowercased() }
}
