/// Why a file could not be imported, precise enough for a user to find the spot in their file:
/// the line, the element or property, and what is wrong with it. The whole file is refused on the
/// first error; a partial import would leave the user guessing what was left out.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based; nil for errors about the file as a whole (its size, its emptiness).
    public var line: Int?
    /// As it is written in the file's own syntax: `<wpt>` for XML elements, `DTSTART` or `VEVENT`
    /// for iCalendar properties and components.
    public var element: String?
    public var message: String

    public init(line: Int?, element: String? = nil, _ message: String) {
        self.line = line
        self.element = element
        self.message = message
    }

    /// `line 7, <wpt>: lat "91.5" is out of range`.
    public var description: String {
        var prefix: [String] = []
        if let line { prefix.append("line \(line)") }
        if let element { prefix.append(element) }
        return prefix.isEmpty ? message : prefix.joined(separator: ", ") + ": " + message
    }

    /// Refuses an input over `ImportLimits.maximumInputBytes` before any parsing.
    static func checkSize(_ count: Int) throws(ImportError) {
        guard count > ImportLimits.maximumInputBytes else { return }
        let limit = ImportLimits.maximumInputBytes / (1024 * 1024)
        throw ImportError(line: nil, "the file is \(count) bytes; at most \(limit) MiB can be imported")
    }

    /// Refuses the item past `ImportLimits.maximumItems`, naming where it starts.
    static func checkCount(_ count: Int, line: Int, element: String, noun: String) throws(ImportError) {
        guard count >= ImportLimits.maximumItems else { return }
        throw ImportError(
            line: line, element: element,
            "the file has more than \(ImportLimits.maximumItems) \(noun); a trip holds at most "
                + "\(ImportLimits.maximumItems) items")
    }
}
