/// iCalendar (RFC 5545) to events: each VEVENT directly inside a VCALENDAR becomes one. Other
/// components (VTIMEZONE, VTODO, VJOURNAL, an event's VALARM) are read only to keep BEGIN/END
/// balanced; their properties are ignored. Events with `STATUS:CANCELLED` are skipped: they are
/// plans that were called off (and, in exports, deleted occurrences of a repeating event). A
/// repeating event (RRULE) is imported as its first occurrence only.
///
/// Several VCALENDAR objects one after another (an RFC 5545 "icalstream") are read as one.
public enum ICSImport {
    public static func events(from input: some Collection<UInt8>) throws(ImportError) -> [ImportedEvent] {
        try ImportError.checkSize(input.count)
        var walker = ICSWalker()
        for (bytes, line) in ICSLines.unfold(Array(input)) {
            let content: ICSContentLine
            do {
                content = try ICSLines.parse(bytes, line: line)
            } catch  where walker.calendars == 0 {
                throw ImportError(line: line, "not an iCalendar file: it should start with BEGIN:VCALENDAR")
            }
            try walker.consume(content)
        }
        return try walker.finish()
    }
}

/// The component stack and the event being read.
private struct ICSWalker {
    var events: [ImportedEvent] = []
    var calendars = 0
    /// Open components, outermost first, with the line of their BEGIN.
    var stack: [(name: String, line: Int)] = []
    var event: ICSEventBuilder?
    var begunEvents = 0

    mutating func consume(_ p: ICSContentLine) throws(ImportError) {
        switch p.name {
        case "BEGIN": try begin(ImportText.trimmed(p.value).uppercased(), line: p.line)
        case "END": try end(ImportText.trimmed(p.value).uppercased(), line: p.line)
        default:
            guard !stack.isEmpty else {
                throw ImportError(
                    line: p.line,
                    calendars == 0
                        ? "not an iCalendar file: it should start with BEGIN:VCALENDAR"
                        : "\(p.name) after END:VCALENDAR")
            }
            if stack.count == 2 { try event?.add(p) }
        }
    }

    private mutating func begin(_ component: String, line: Int) throws(ImportError) {
        if stack.isEmpty {
            guard component == "VCALENDAR" else {
                throw ImportError(line: line, "not an iCalendar file: it should start with BEGIN:VCALENDAR")
            }
            calendars += 1
        } else if component == "VCALENDAR" {
            throw ImportError(line: line, "BEGIN:VCALENDAR inside another component")
        }
        guard stack.count < ImportLimits.maximumComponentDepth else {
            throw ImportError(
                line: line, "components are nested more than \(ImportLimits.maximumComponentDepth) deep")
        }
        stack.append((component, line))
        if component == "VEVENT" && stack.count == 2 {
            try ImportError.checkCount(begunEvents, line: line, element: "VEVENT", noun: "events")
            begunEvents += 1
            event = ICSEventBuilder(line: line)
        }
    }

    private mutating func end(_ component: String, line: Int) throws(ImportError) {
        guard let top = stack.last else {
            throw ImportError(line: line, "END:\(component) without a matching BEGIN")
        }
        guard top.name == component else {
            throw ImportError(line: line, "END:\(component) closes BEGIN:\(top.name) (line \(top.line))")
        }
        if component == "VEVENT" && stack.count == 2, let e = event {
            event = nil
            if let built = try e.build() { events.append(built) }
        }
        stack.removeLast()
    }

    func finish() throws(ImportError) -> [ImportedEvent] {
        if let top = stack.last {
            throw ImportError(line: top.line, "BEGIN:\(top.name) is never closed (no END:\(top.name))")
        }
        guard calendars > 0 else { throw ImportError(line: nil, "the file is empty") }
        return events
    }
}
