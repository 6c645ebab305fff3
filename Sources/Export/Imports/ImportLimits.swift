import Trips

/// Every bound the importers enforce, in one place. An import is one request body parsed in memory,
/// so these keep a hostile or accidental upload from costing more than a normal one.
public enum ImportLimits {
    /// The largest file accepted. 5 MiB holds thousands of waypoints or events; a bigger GPX is
    /// almost always a track log, which the importers ignore anyway.
    public static let maximumInputBytes = 5 * 1024 * 1024

    /// Places or events per file: no more than one trip can hold, so an import never half-fits.
    public static let maximumItems = TripService.maximumItems

    /// A place or event name is cut to this many characters (Trips' item title limit) rather than
    /// refused: one long name should not sink a file of hundreds of good ones.
    public static let maximumNameLength = 200

    /// Notes (GPX `desc`/`cmt`, KML `description`, iCalendar `DESCRIPTION`) are cut to Trips' item
    /// notes limit for the same reason.
    public static let maximumNotesLength = 10_000

    /// A link longer than Trips' item URL limit is dropped, like any link that is not http(s).
    public static let maximumURLLength = 2048

    /// XML element nesting. GPX and KML need fewer than 10 levels; the bound keeps a deeply nested
    /// file from growing the element stack without end.
    public static let maximumXMLDepth = 64

    /// iCalendar component nesting (VCALENDAR > VEVENT > VALARM is 3).
    public static let maximumComponentDepth = 16
}
