import Foundation
import TestSupport
import Testing
import Trips

@testable import Export

/// The calendar writer, checked by an independent parser (Python's icalendar, Debian's package) and by
/// the octet-level rules of RFC 5545 that parsers are lenient about.
@Suite struct ICSCalendarTests {
    static let modified = Date(timeIntervalSince1970: 1_800_000_000)

    static func day(_ s: String) -> CalendarDate { CalendarDate(s)! }
    static func time(_ s: String) -> LocalTime { LocalTime(s)! }

    /// Events either side of Lisbon's 2027 summer-time change, a lodging span, a flight in UTC, text
    /// that needs escaping and folding, and a zone on the other side of the world.
    static let events: [CalendarEvent] = [
        CalendarEvent(
            uid: "item-1@travelsense", summary: "Breakfast, coffee; pastéis \\ nata",
            timing: .local(day: day("2027-03-27"), start: time("09:00"), end: time("10:30"), timeZone: "Europe/Lisbon"),
            location: "Pastéis de Belém, Lisboa", coordinates: (38.6975, -9.2033),
            description: "First line\nSecond line with a comma, and a semicolon; done.", sequence: 3,
            lastModified: modified),
        CalendarEvent(
            uid: "item-2@travelsense", summary: "Tram 28 🚋",
            timing: .local(day: day("2027-03-29"), start: time("09:00"), end: nil, timeZone: "Europe/Lisbon"),
            lastModified: modified),
        CalendarEvent(
            uid: "item-3@travelsense", summary: "Fado night",
            timing: .local(day: day("2027-03-29"), start: time("23:30"), end: time("01:00"), timeZone: "Europe/Lisbon"),
            description: String(repeating: "Saudade é uma palavra portuguesa — ", count: 12), lastModified: modified),
        CalendarEvent(
            uid: "item-4@travelsense", summary: "Hotel Avenida",
            timing: .allDay(first: day("2027-03-26"), endExclusive: day("2027-03-30")), lastModified: modified),
        CalendarEvent(
            uid: "item-5@travelsense", summary: "TP 1353 LIS → ZRH",
            timing: .instant(
                start: Date(timeIntervalSince1970: 1_806_220_800), end: Date(timeIntervalSince1970: 1_806_229_800)),
            url: "https://www.flytap.com/", lastModified: modified),
        CalendarEvent(
            uid: "item-6@travelsense", summary: "東京タワー",
            timing: .local(day: day("2027-04-02"), start: time("18:00"), end: time("19:00"), timeZone: "Asia/Tokyo"),
            lastModified: modified),
    ]

    @Test func everyPhysicalLineIsCRLFTerminatedAtMost75OctetsAndValidUTF8() throws {
        let bytes = ICSCalendar(name: "Lisbon, spring", events: Self.events).render()
        #expect(bytes.suffix(2) == [0x0D, 0x0A])
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            #expect(i > 0 && bytes[i - 1] == 0x0D, "bare LF at \(i)")
            lines.append(bytes[start..<(i - 1)])
            start = i + 1
        }
        #expect(lines.count > 40)
        for line in lines {
            #expect(line.count <= 75, "\(String(decoding: line, as: UTF8.self))")
            #expect(String(validating: line, as: UTF8.self) != nil, "a fold split a UTF-8 sequence")
        }
        #expect(lines.contains { $0.first == 0x20 }, "the long description is folded")
    }

    @Test func textIsEscaped() {
        #expect(ContentLines.text("a,b;c\\d\ne\r\nf\u{7}") == #"a\,b\;c\\d\ne\nf"#)
        #expect(ContentLines.parameter("Europe/Lisbon") == Array("Europe/Lisbon".utf8))
        #expect(ContentLines.parameter("a:b\"c") == Array(#""a:bc""#.utf8))
    }

    @Test func lisbonSummerTimeIsDescribedByItsObservances() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Lisbon"))
        let observances = VTimeZone.observances(zone, years: 2027...2027)
        let changes = observances.dropFirst().map {
            ($0.daylight, $0.offsetFrom, $0.offsetTo, ICSTime.split($0.localStart))
        }
        #expect(changes.count == 2)
        #expect(changes.first.map { $0.0 && $0.1 == 0 && $0.2 == 3600 } == true)
        #expect(changes.first.map { ICSTime.local($0.3.0, secondsOfDay: $0.3.1) } == "20270328T010000")
        #expect(changes.last.map { ICSTime.local($0.3.0, secondsOfDay: $0.3.1) } == "20271031T020000")
        #expect(ICSTime.offset(-12_600) == "-0330")
        #expect(ICSTime.utc(Date(timeIntervalSince1970: -1)) == "19691231T235959Z")
    }

    /// Python's icalendar reads every event back; times are resolved through our own VTIMEZONE
    /// (`Timezone.to_tz()`), not the parser's zone database, so a wrong observance shows up as a wrong instant.
    @Test func pythonsIcalendarReadsEveryEventAtTheRightInstant() throws {
        let parsed = try PythonScript.json(
            Self.reader, input: ICSCalendar(name: "Lisbon, spring", events: Self.events).render())
        let events = try #require(parsed["events"] as? [[String: Any]])
        #expect(parsed["name"] as? String == "Lisbon, spring")
        #expect(events.count == Self.events.count)
        func event(_ uid: String) -> [String: Any] { events.first { $0["uid"] as? String == uid } ?? [:] }
        let breakfast = event("item-1@travelsense")
        #expect(breakfast["summary"] as? String == "Breakfast, coffee; pastéis \\ nata")
        #expect(breakfast["start"] as? String == "2027-03-27T09:00:00Z", "WET: UTC+0 before the change")
        #expect(breakfast["end"] as? String == "2027-03-27T10:30:00Z")
        #expect(breakfast["location"] as? String == "Pastéis de Belém, Lisboa")
        #expect(breakfast["description"] as? String == "First line\nSecond line with a comma, and a semicolon; done.")
        #expect(breakfast["geo"] as? [Double] == [38.6975, -9.2033])
        #expect(breakfast["sequence"] as? Int == 3)
        #expect(event("item-2@travelsense")["start"] as? String == "2027-03-29T08:00:00Z", "WEST: UTC+1 after it")
        #expect(event("item-2@travelsense")["summary"] as? String == "Tram 28 🚋")
        let fado = event("item-3@travelsense")
        #expect(fado["end"] as? String == "2027-03-30T00:00:00Z", "01:00 WEST on the next day")
        #expect((fado["description"] as? String)?.hasPrefix("Saudade é uma palavra portuguesa — Saudade") == true)
        let hotel = event("item-4@travelsense")
        #expect(hotel["start"] as? String == "2027-03-26" && hotel["end"] as? String == "2027-03-30")
        #expect(event("item-5@travelsense")["start"] as? String == "2027-03-28T08:00:00Z")
        #expect(event("item-6@travelsense")["start"] as? String == "2027-04-02T09:00:00Z", "JST is UTC+9")
        #expect(event("item-6@travelsense")["summary"] as? String == "東京タワー")
    }

    @Test func theSameEventsGiveTheSameBytes() {
        #expect(
            ICSCalendar(name: nil, events: Self.events).render() == ICSCalendar(name: nil, events: Self.events).render()
        )
    }

    static let reader = #"""
        import datetime, json, sys
        import icalendar

        cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
        zones = {str(tz["TZID"]): tz.to_tz() for tz in cal.walk("VTIMEZONE")}

        def when(event, name):
            if name not in event:
                return None
            prop = event[name]
            value = prop.dt
            if isinstance(value, datetime.datetime):
                tzid = prop.params.get("TZID")
                if tzid:
                    value = zones[str(tzid)].localize(value.replace(tzinfo=None))
                return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            return value.isoformat()

        events = []
        for e in cal.walk("VEVENT"):
            geo = e.get("GEO")
            events.append({
                "uid": str(e["UID"]), "summary": str(e["SUMMARY"]),
                "start": when(e, "DTSTART"), "end": when(e, "DTEND"),
                "location": str(e["LOCATION"]) if "LOCATION" in e else None,
                "description": str(e["DESCRIPTION"]) if "DESCRIPTION" in e else None,
                "geo": [geo.latitude, geo.longitude] if geo else None,
                "sequence": int(e["SEQUENCE"]) if "SEQUENCE" in e else None,
            })
        print(json.dumps({"name": str(cal.get("X-WR-CALNAME")), "events": events}))
        """#
}
