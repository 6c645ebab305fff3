import Foundation
import Testing
import Trips

@testable import Export

/// iCalendar files as Google Calendar exports them: CRLF, folded lines, a VTIMEZONE, alarms, escaped
/// text, all-day, UTC and zoned events, and DURATION instead of DTEND.
@Suite struct ICSImportTests {
    static func events(_ lines: [String]) throws(ImportError) -> [ImportedEvent] {
        try ICSImport.events(from: Array(lines.joined(separator: "\r\n").utf8) + [0x0D, 0x0A])
    }

    static func day(_ s: String) -> CalendarDate { CalendarDate(s)! }

    static let google = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Lisbon\\, spring",
        "X-WR-TIMEZONE:Europe/Lisbon",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Lisbon",
        "X-LIC-LOCATION:Europe/Lisbon",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "TZNAME:WEST",
        "DTSTART:19700329T010000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "TZNAME:WET",
        "DTSTART:19701025T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",  // line 26
        "DTSTART;TZID=Europe/Lisbon:20270327T090000",
        "DTEND;TZID=Europe/Lisbon:20270327T103000",
        "DTSTAMP:20270301T120000Z",
        "UID:7kukuqrfedlm2f8lh2p8vlq2c4@google.com",
        "CREATED:20270301T115900Z",
        "DESCRIPTION:Pastéis de nata\\, coffee\\; then a walk.\\nBring cash \\\\ coins",
        " .\\NDone.",
        "LAST-MODIFIED:20270301T120000Z",
        "LOCATION:Pastéis de Belém\\, R. de Belém 84-92\\, 1300-085 Lisboa\\, Portug",
        "\tal",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        "SUMMARY:Breakfast in Belém",
        "TRANSP:OPAQUE",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:This is an event reminder",
        "SUMMARY:Not the event's summary",
        "TRIGGER:-P0DT0H30M0S",
        "END:VALARM",
        "END:VEVENT",
        "BEGIN:VEVENT",  // line 48
        "DTSTART;VALUE=DATE:20270326",
        "DTEND;VALUE=DATE:20270330",
        "SUMMARY:Hotel Avenida",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "BEGIN:VEVENT",  // line 54
        "DTSTART:20270330T080000Z",
        "DTEND:20270330T103000Z",
        "summary:TP 1353 LIS → ZRH",
        "GEO:38.7742;-9.1342",
        "URL;VALUE=URI:https://www.flytap.com/",
        "END:VEVENT",
        "BEGIN:VEVENT",  // line 61
        "DTSTART;TZID=\"Europe/Lisbon\":20270328T230000",
        "DURATION:PT1H30M",
        "SUMMARY;LANGUAGE=pt:Fado",
        "END:VEVENT",
        "BEGIN:VEVENT",  // line 66
        "DTSTART;VALUE=DATE:20270401",
        "DURATION:P1W",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTSTART:20270402T100000",
        "SUMMARY:Museum (cancelled)",
        "STATUS:CANCELLED",
        "END:VEVENT",
        "BEGIN:VTODO",
        "SUMMARY:Pack",
        "DTSTART:20270325T100000",
        "END:VTODO",
        "END:VCALENDAR",
    ]

    @Test func googleCalendarExport() throws {
        let e = try Self.events(Self.google)
        #expect(e.count == 5)
        #expect(
            e[0]
                == ImportedEvent(
                    uid: "7kukuqrfedlm2f8lh2p8vlq2c4@google.com", summary: "Breakfast in Belém",
                    description: "Pastéis de nata, coffee; then a walk.\nBring cash \\ coins.\nDone.",
                    location: "Pastéis de Belém, R. de Belém 84-92, 1300-085 Lisboa, Portugal",
                    start: .local(date: Self.day("2027-03-27"), hour: 9, minute: 0, second: 0, tzid: "Europe/Lisbon"),
                    end: .local(date: Self.day("2027-03-27"), hour: 10, minute: 30, second: 0, tzid: "Europe/Lisbon"),
                    line: 26))
        #expect(
            e[1]
                == ImportedEvent(
                    summary: "Hotel Avenida", start: .date(Self.day("2027-03-26")), end: .date(Self.day("2027-03-30")),
                    line: 48))
        let flight = Date(timeIntervalSince1970: 1_806_393_600)  // 2027-03-30T08:00:00Z
        #expect(
            e[2]
                == ImportedEvent(
                    summary: "TP 1353 LIS → ZRH", geo: (38.7742, -9.1342), url: "https://www.flytap.com/",
                    start: .utc(flight), end: .utc(flight.addingTimeInterval(9000)), line: 54))
        #expect(e[3].summary == "Fado")
        #expect(
            e[3].start == .local(date: Self.day("2027-03-28"), hour: 23, minute: 0, second: 0, tzid: "Europe/Lisbon"))
        #expect(e[3].end == .local(date: Self.day("2027-03-29"), hour: 0, minute: 30, second: 0, tzid: "Europe/Lisbon"))
        #expect(
            e[4]
                == ImportedEvent(
                    summary: "Untitled event", start: .date(Self.day("2027-04-01")), end: .date(Self.day("2027-04-08")),
                    line: 66))
    }

    @Test func bareLineFeedsFloatingTimesAndAFoldInsideAUTF8Sequence() throws {
        var bytes = Array("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20270101T120000\nSUMMARY:Caf".utf8)
        bytes += [0xC3, 0x0A, 0x20, 0xA9]  // "é" split across a fold, as a byte-counting folder may do
        bytes += Array("\n\nEND:VEVENT\nEND:VCALENDAR".utf8)
        let e = try ICSImport.events(from: bytes)
        #expect(e.count == 1)
        #expect(e[0].summary == "Café")
        #expect(e[0].start == .local(date: Self.day("2027-01-01"), hour: 12, minute: 0, second: 0, tzid: nil))
        #expect(e[0].end == nil)
    }

    @Test func durations() throws {
        let cases: [(String, Int, Int)] = [
            ("P1D", 1, 0), ("PT1H30M", 0, 5400), ("P1W", 7, 0), ("P1DT12H", 1, 43_200), ("PT0S", 0, 0),
            ("+PT45M10S", 0, 2710), ("P2DT3H4M5S", 2, 11_045),
        ]
        for (text, days, seconds) in cases {
            let d = try #require(ICSValues.duration(text), "\(text)")
            #expect(d.days == days && d.seconds == seconds && !d.negative, "\(text)")
        }
        #expect(ICSValues.duration("-PT15M")?.negative == true)
        for bad in ["", "P", "PT", "P1H", "P1W2D", "P1.5D", "1D", "PT1H2D", "P1M", "P9999999D", "pt1h"] {
            #expect(ICSValues.duration(bad) == nil, "\(bad)")
        }
    }

    @Test func textEscapes() {
        #expect(ICSValues.text(#"a\,b\;c\\d\ne\Nf\:g\"#) == "a,b;c\\d\ne\nf:g\\")
    }

    @Test func durationOnEveryKindOfStart() throws {
        func end(_ start: String, _ duration: String) throws(ImportError) -> EventTime? {
            try Self.events([
                "BEGIN:VCALENDAR", "BEGIN:VEVENT", start, "DURATION:\(duration)", "END:VEVENT", "END:VCALENDAR",
            ])[0].end
        }
        #expect(try end("DTSTART;VALUE=DATE:20271230", "P3D") == .date(Self.day("2028-01-02")))
        #expect(
            try end("DTSTART:20271231T230000Z", "PT2H")
                == .utc(
                    Date(timeIntervalSince1970: TimeInterval(Self.day("2028-01-01").daysSinceEpoch * 86_400 + 3600))))
        #expect(
            try end("DTSTART;TZID=Asia/Tokyo:20270228T220000", "P1DT3H")
                == .local(date: Self.day("2027-03-02"), hour: 1, minute: 0, second: 0, tzid: "Asia/Tokyo"))
    }
}
