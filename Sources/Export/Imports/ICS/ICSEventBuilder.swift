/// The properties of one VEVENT as they arrive, and the checks that need all of them: a DTSTART,
/// DTEND or DURATION but not both, an end not before the start and of the same kind.
struct ICSEventBuilder {
    let line: Int
    var uid: String?
    var summary: String?
    var description: String?
    var location: String?
    var geo: (lat: Double, lon: Double)?
    var url: String?
    var cancelled = false
    var start: ICSContentLine?
    var end: ICSContentLine?
    var duration: ICSContentLine?

    init(line: Int) {
        self.line = line
    }

    /// Text properties: the first occurrence wins. Timing properties may occur once.
    mutating func add(_ p: ICSContentLine) throws(ImportError) {
        switch p.name {
        case "UID": if uid == nil { uid = Self.nonEmpty(ImportText.trimmed(ICSValues.text(p.value))) }
        case "SUMMARY": summary = summary ?? ImportText.name(ICSValues.text(p.value))
        case "DESCRIPTION": description = description ?? ImportText.notes(ICSValues.text(p.value))
        case "LOCATION": location = location ?? ImportText.name(ICSValues.text(p.value))
        case "URL": url = url ?? ImportText.url(p.value)
        case "STATUS": cancelled = ImportText.trimmed(p.value).uppercased() == "CANCELLED"
        case "GEO": if geo == nil { geo = try Self.geo(p) }
        case "DTSTART": try Self.once(&start, p)
        case "DTEND": try Self.once(&end, p)
        case "DURATION": try Self.once(&duration, p)
        default: break
        }
    }

    private static func once(_ slot: inout ICSContentLine?, _ p: ICSContentLine) throws(ImportError) {
        guard slot == nil else { throw ImportError(line: p.line, element: p.name, "appears twice in one event") }
        slot = p
    }

    private static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    /// The event, or nil when it was cancelled.
    func build() throws(ImportError) -> ImportedEvent? {
        guard let start else { throw ImportError(line: line, element: "VEVENT", "the event has no DTSTART") }
        let first = try ICSValues.time(start)
        var last: EventTime?
        if let end {
            if let duration {
                throw ImportError(line: duration.line, element: "DURATION", "cannot be combined with DTEND")
            }
            last = try ICSValues.time(end)
            try Self.check(first, last, end)
        } else if let duration {
            guard let d = ICSValues.duration(duration.value) else {
                throw ImportError(
                    line: duration.line, element: "DURATION",
                    "\(ImportCoordinates.quoted(duration.value)) is not a duration like P1D, PT1H30M or P1W")
            }
            guard !d.negative else { throw ImportError(line: duration.line, element: "DURATION", "is negative") }
            guard let e = ICSValues.adding(days: d.days, seconds: d.seconds, to: first) else {
                throw ImportError(
                    line: duration.line, element: "DURATION", "an all-day event lasts whole days (P1D), not hours")
            }
            last = e
        }
        guard !cancelled else { return nil }
        return ImportedEvent(
            uid: uid, summary: summary ?? "Untitled event", description: description, location: location, geo: geo,
            url: url, start: first, end: last, line: line)
    }

    /// DTEND is a date exactly when DTSTART is, and is not earlier when the two can be compared.
    private static func check(_ start: EventTime, _ end: EventTime?, _ p: ICSContentLine) throws(ImportError) {
        let before: Bool
        switch (start, end) {
        case (.date(let a), .date(let b)): before = b < a
        case (.utc(let a), .utc(let b)): before = b < a
        case (.local(let d1, let h1, let m1, let s1, let z1), .local(let d2, let h2, let m2, let s2, let z2)):
            before = z1 == z2 && (d2, h2 * 3600 + m2 * 60 + s2) < (d1, h1 * 3600 + m1 * 60 + s1)
        case (.date, _):
            throw ImportError(line: p.line, element: p.name, "must be a date, like DTSTART")
        case (_, .date):
            throw ImportError(line: p.line, element: p.name, "must be a date-time, like DTSTART")
        default: before = false
        }
        if before { throw ImportError(line: p.line, element: p.name, "is before DTSTART") }
    }

    /// `GEO:lat;lon`.
    private static func geo(_ p: ICSContentLine) throws(ImportError) -> (lat: Double, lon: Double) {
        let parts = p.value.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw ImportError(
                line: p.line, element: "GEO", "\(ImportCoordinates.quoted(p.value)) is not \"latitude;longitude\"")
        }
        return (
            try ImportCoordinates.latitude(String(parts[0]), "latitude", line: p.line, element: "GEO"),
            try ImportCoordinates.longitude(String(parts[1]), "longitude", line: p.line, element: "GEO")
        )
    }
}
