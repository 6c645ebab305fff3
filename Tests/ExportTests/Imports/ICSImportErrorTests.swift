import Testing

@testable import Export

/// What the iCalendar importer refuses, each error on the line a user would look at.
@Suite struct ICSImportErrorTests {
    static func error(_ lines: [String]) -> ImportError? {
        error(bytes: Array(lines.joined(separator: "\r\n").utf8))
    }

    static func error(bytes: [UInt8]) -> ImportError? {
        do {
            _ = try ICSImport.events(from: bytes)
            return nil
        } catch {
            return error
        }
    }

    /// A calendar whose one event has `properties`; the event's BEGIN is line 3.
    static func event(_ properties: [String]) -> [String] {
        ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT"] + properties + ["END:VEVENT", "END:VCALENDAR"]
    }

    @Test func badDatesNameTheStartingLineOfAFoldedProperty() throws {
        let e = Self.error([
            "BEGIN:VCALENDAR", "BEGIN:VEVENT", "SUMMARY:a", "DTSTART:2026-1", " 3-01", "END:VEVENT", "END:VCALENDAR",
        ])
        #expect(e?.description == #"line 4, DTSTART: "2026-13-01" is not a valid date"#)
        let cases: [(String, String)] = [
            ("DTSTART;VALUE=DATE:20261301", #""20261301" is not a valid date"#),
            ("DTSTART;VALUE=DATE:20270229", #""20270229" is not a valid date"#),
            ("DTSTART:20270327T250000", #""20270327T250000" is not a valid date-time"#),
            ("DTSTART:20270327T0900", #""20270327T0900" is not a valid date-time"#),
            ("DTSTART:20270327T090000+0100", #""20270327T090000+0100" is not a valid date-time"#),
            ("DTSTART;VALUE=PERIOD:20270327T090000Z/PT1H", "VALUE=PERIOD is not a date or a date-time"),
        ]
        for (property, message) in cases {
            #expect(Self.error(Self.event([property])) == ImportError(line: 4, element: "DTSTART", message))
        }
    }

    @Test func anEventWithoutDTSTART() {
        let e = Self.error(Self.event(["SUMMARY:When?", "DTEND:20270101T100000Z"]))
        #expect(e?.description == "line 3, VEVENT: the event has no DTSTART")
    }

    @Test func inconsistentTiming() {
        let start = "DTSTART:20270101T100000Z"
        let cases: [([String], ImportError)] = [
            ([start, "DTEND:20270101T090000Z"], ImportError(line: 5, element: "DTEND", "is before DTSTART")),
            (
                ["DTSTART;TZID=Europe/Lisbon:20270101T100000", "DTEND;TZID=Europe/Lisbon:20270101T095959"],
                ImportError(line: 5, element: "DTEND", "is before DTSTART")
            ),
            (
                [start, "DTEND;VALUE=DATE:20270102"],
                ImportError(line: 5, element: "DTEND", "must be a date-time, like DTSTART")
            ),
            (
                ["DTSTART;VALUE=DATE:20270101", "DTEND:20270102T000000Z"],
                ImportError(line: 5, element: "DTEND", "must be a date, like DTSTART")
            ),
            (
                [start, "DTEND:20270101T110000Z", "DURATION:PT1H"],
                ImportError(line: 6, element: "DURATION", "cannot be combined with DTEND")
            ),
            ([start, start], ImportError(line: 5, element: "DTSTART", "appears twice in one event")),
            ([start, "DURATION:-PT1H"], ImportError(line: 5, element: "DURATION", "is negative")),
            (
                [start, "DURATION:1 hour"],
                ImportError(line: 5, element: "DURATION", #""1 hour" is not a duration like P1D, PT1H30M or P1W"#)
            ),
            (
                ["DTSTART;VALUE=DATE:20270101", "DURATION:PT12H"],
                ImportError(line: 5, element: "DURATION", "an all-day event lasts whole days (P1D), not hours")
            ),
            ([start, "GEO:91;0"], ImportError(line: 5, element: "GEO", #"latitude "91" is out of range"#)),
            (
                [start, "GEO:38.7,-9.1"],
                ImportError(line: 5, element: "GEO", #""38.7,-9.1" is not "latitude;longitude""#)
            ),
        ]
        for (properties, expected) in cases {
            #expect(Self.error(Self.event(properties)) == expected, "\(properties)")
        }
    }

    @Test func unbalancedComponents() {
        let missingEnd = Self.error(["BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART:20270101T100000Z", "END:VEVENT"])
        #expect(missingEnd?.description == "line 1: BEGIN:VCALENDAR is never closed (no END:VCALENDAR)")
        let openEvent = Self.error(["BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART:20270101T100000Z", "END:VCALENDAR"])
        #expect(openEvent?.description == "line 4: END:VCALENDAR closes BEGIN:VEVENT (line 2)")
        let alarm = Self.error(Self.event(["DTSTART:20270101T100000Z", "BEGIN:VALARM", "TRIGGER:-PT5M"]))
        #expect(alarm?.description == "line 7: END:VEVENT closes BEGIN:VALARM (line 5)")
        #expect(Self.error(["BEGIN:VCALENDAR", "END:VCALENDAR", "END:VCALENDAR"])?.line == 3)
        #expect(
            Self.error(["BEGIN:VCALENDAR", "END:VCALENDAR", "SUMMARY:x"])?.message == "SUMMARY after END:VCALENDAR")
        #expect(Self.error(["BEGIN:VCALENDAR", "BEGIN:VCALENDAR"])?.message.contains("inside another") == true)
        let deep =
            ["BEGIN:VCALENDAR"] + (1..<ImportLimits.maximumComponentDepth).map { "BEGIN:X-\($0)" } + ["BEGIN:X-LAST"]
        #expect(Self.error(deep)?.message.contains("nested more than") == true)
    }

    @Test func notAnICalendarFile() {
        for text in [
            "<?xml version=\"1.0\"?><gpx/>", "BEGIN:VCARD\r\nEND:VCARD", "VERSION:2.0\r\nBEGIN:VCALENDAR", "{}",
        ] {
            let e = Self.error(bytes: Array(text.utf8))
            #expect(e == ImportError(line: 1, "not an iCalendar file: it should start with BEGIN:VCALENDAR"), "\(text)")
        }
        #expect(Self.error(bytes: [])?.message == "the file is empty")
        #expect(Self.error(bytes: Array("\r\n\r\n".utf8))?.message == "the file is empty")
    }

    @Test func malformedContentLines() {
        let cases: [(String, String)] = [
            ("SUMMARY", #"expected ":" before the value"#),
            (":no name", "expected a content line like NAME:value"),
            ("DTSTART;TZID:20270101T100000", #"expected a parameter like NAME=value after ";""#),
            ("DTSTART;TZID=\"Europe/Lisbon:20270101T100000", "the quoted value of TZID is never closed"),
        ]
        for (line, message) in cases {
            #expect(Self.error(Self.event([line]))?.message == message, "\(line)")
        }
        let control = Self.error(bytes: Array("BEGIN:VCALENDAR\r\nSUMMARY:a\u{1}b\r\nEND:VCALENDAR".utf8))
        #expect(control == ImportError(line: 2, "the control character U+0001 is not allowed"))
        let utf8 = Self.error(bytes: Array("BEGIN:VCALENDAR\r\nX-A:".utf8) + [0xFF] + Array("\r\nEND:VCALENDAR".utf8))
        #expect(utf8 == ImportError(line: 2, "the file is not valid UTF-8"))
    }

    @Test func limits() throws {
        let one = ["BEGIN:VEVENT", "DTSTART;VALUE=DATE:20270101", "END:VEVENT"]
        let fits =
            ["BEGIN:VCALENDAR"] + Array([[String]](repeating: one, count: ImportLimits.maximumItems).joined()) + [
                "END:VCALENDAR"
            ]
        #expect(
            try ICSImport.events(from: Array(fits.joined(separator: "\r\n").utf8)).count == ImportLimits.maximumItems)
        let over = Array(fits.dropLast()) + one + ["END:VCALENDAR"]
        let e = Self.error(over)
        #expect(e?.line == 2 + 3 * ImportLimits.maximumItems && e?.element == "VEVENT")
        #expect(e?.message.contains("more than \(ImportLimits.maximumItems) events") == true)

        let big =
            Array("BEGIN:VCALENDAR\r\nX-PAD:".utf8) + [UInt8](repeating: 0x41, count: ImportLimits.maximumInputBytes)
        #expect(Self.error(bytes: big)?.line == nil)
        #expect(Self.error(bytes: big)?.message.contains("at most 5 MiB") == true)
    }
}
