/// The document model the layout engine understands: a flat sequence of blocks, laid out top to
/// bottom and broken into A4 pages. Text is any Unicode; it wraps at spaces, between CJK characters
/// (and inside words longer than a line) using the embedded fonts' real advances.
public enum PDFBlock: Sendable, Equatable {
    /// A bold heading; level 0 is a document title, 1 a section (a day), 2 a subsection. A heading is
    /// kept on the same page as the first line after it.
    case heading(String, level: Int)
    /// Wrapped text. Paragraphs may split across pages.
    case paragraph(String, style: PDFTextStyle = .body)
    /// One schedule line: time | title | place | cost, each column wrapped on its own. Kept on one page
    /// when it fits on one.
    case row(PDFRow)
    /// A label and a value, right-aligned in bold under a rule (a daily total); kept whole.
    case amount(label: String, value: String)
    /// A thin horizontal line across the text width.
    case rule
    /// Vertical space in points.
    case spacer(Double)
    /// Starts a new page (ignored at the top of an empty page).
    case pageBreak
    /// Blocks kept on one page when they fit on one (a day's last item with its total, so the total is
    /// never alone at the top of a page). Page breaks and heading look-ahead do not apply inside.
    case group([PDFBlock])
}

/// How a paragraph looks: size in points, gray level (0 black … 1 white), left indent, weight.
public struct PDFTextStyle: Sendable, Equatable {
    public var size: Double
    public var gray: Double
    public var indent: Double
    public var bold: Bool

    public init(size: Double = 10, gray: Double = 0, indent: Double = 0, bold: Bool = false) {
        self.size = size
        self.gray = gray
        self.indent = indent
        self.bold = bold
    }

    public static let body = PDFTextStyle()
    /// Smaller gray text under a row (notes), aligned with the row's title column.
    public static let note = PDFTextStyle(size: 9, gray: 0.35, indent: BlockLayout.timeWidth + BlockLayout.gap)
    /// A large gray line under a title.
    public static let subtitle = PDFTextStyle(size: 14, gray: 0.3)
}

/// The columns of a `.row` block; any may be nil except the title.
public struct PDFRow: Sendable, Equatable {
    public var time: String?
    public var title: String
    public var place: String?
    public var cost: String?

    public init(time: String? = nil, title: String, place: String? = nil, cost: String? = nil) {
        self.time = time
        self.title = title
        self.place = place
        self.cost = cost
    }
}
