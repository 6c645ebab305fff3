import Foundation
import Trips

/// `POST /v1/calendar-feeds`.
public struct CalendarFeedInput: Decodable, Sendable {
    public var tripId: String?
}

/// A calendar feed as its owner sees it. `token`, `url` (webcal://) and `httpsUrl` appear only when a
/// token is issued (creation, rotation): only a digest is stored.
public struct CalendarFeedView: Encodable, Sendable {
    public var id: String
    /// The one trip it shows; absent for "all my trips".
    public var tripId: String?
    public var createdAt: Date
    public var rotatedAt: Date?
    public var token: String?
    public var url: String?
    public var httpsUrl: String?
}
