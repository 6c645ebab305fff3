import Foundation

/// IANA time-zone names the server knows (tzdata through Foundation), checked once per name.
enum TimeZones {
    /// Built once: `knownTimeZoneIdentifiers` walks the zone database.
    static let known: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers).union(["UTC"])

    /// True for a canonical or alias IANA name (`Europe/Lisbon`, `UTC`); false for offsets such as
    /// `GMT+5` or abbreviations such as `CET` that Foundation would also accept.
    static func isValid(_ name: String) -> Bool {
        known.contains(name) && TimeZone(identifier: name) != nil
    }

    static func zone(_ name: String) -> TimeZone {
        TimeZone(identifier: name) ?? TimeZone(identifier: "UTC") ?? .current
    }
}
