import Kernel
import Trips

/// A validated `POST /v1/trips/{id}/itinerary/generate` body, as stored with the request and the
/// proposal. Budget amounts are minor units of the trip's currency (another currency is refused at
/// the edge: nothing converts money behind the user's back).
struct PlanRequest: Codable, Sendable, Equatable {
    var interests: [String] = []
    var pace: Pace = .normal
    var budget: MoneyAmount?
    /// Item ids (of the trip's ideas) or place names.
    var mustInclude: [String] = []
    var avoid: [String] = []
    /// The days to fill; nil means every day of the trip.
    var days: [CalendarDate]?
}
