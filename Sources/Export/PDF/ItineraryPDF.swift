import Foundation

/// A printable itinerary: a cover (title, subtitle, summary), then a section per day with its
/// schedule (time | title | place | cost), notes under each item, and the day's total.
///
/// Plain structs, not Trips types: the export job maps a trip onto these. Amounts arrive already
/// formatted (the caller knows the currency and locale).
public enum ItineraryPDF {
    /// One scheduled thing in a day.
    public struct Item: Sendable, Equatable {
        public var time: String?
        public var title: String
        public var place: String?
        public var notes: String?
        public var cost: String?

        public init(time: String? = nil, title: String, place: String? = nil, notes: String? = nil, cost: String? = nil)
        {
            self.time = time
            self.title = title
            self.place = place
            self.notes = notes
            self.cost = cost
        }
    }

    /// One day: its heading (a formatted date), items in order, and an optional formatted total.
    public struct Day: Sendable, Equatable {
        public var date: String
        public var items: [Item]
        public var total: String?

        public init(date: String, items: [Item], total: String? = nil) {
            self.date = date
            self.items = items
            self.total = total
        }
    }

    /// The blocks of the itinerary, for callers that want to add their own before `finish`.
    public static func blocks(title: String, subtitle: String?, days: [Day], summary: String? = nil) -> [PDFBlock] {
        var blocks: [PDFBlock] = [.spacer(150), .heading(title, level: 0)]
        if let subtitle, !subtitle.isEmpty { blocks.append(.paragraph(subtitle, style: .subtitle)) }
        blocks.append(.spacer(12))
        blocks.append(.rule)
        let itemCount = days.reduce(0) { $0 + $1.items.count }
        let defaultSummary =
            "\(days.count) day\(days.count == 1 ? "" : "s") · \(itemCount) item\(itemCount == 1 ? "" : "s")"
        blocks.append(.paragraph(summary ?? defaultSummary, style: PDFTextStyle(size: 11, gray: 0.3)))
        // Days flow one after another (a heading always keeps with what follows it): a week with a
        // few items prints on a page or two, not one mostly empty page per day.
        blocks.append(.pageBreak)
        for (index, day) in days.enumerated() {
            if index > 0 { blocks.append(.spacer(14)) }
            blocks.append(.heading(day.date, level: 1))
            blocks.append(.rule)
            for (index, item) in day.items.enumerated() {
                var itemBlocks: [PDFBlock] = [
                    .row(PDFRow(time: item.time, title: item.title, place: item.place, cost: item.cost))
                ]
                if let notes = item.notes, !notes.isEmpty { itemBlocks.append(.paragraph(notes, style: .note)) }
                // The day's last item carries its total, so the total never starts a page alone.
                if index == day.items.count - 1, let total = day.total {
                    blocks.append(.group(itemBlocks + [.amount(label: "Day total", value: total)]))
                } else {
                    blocks += itemBlocks
                }
            }
            if day.items.isEmpty { blocks.append(.paragraph("Nothing planned yet.", style: .note)) }
        }
        return blocks
    }

    /// Renders the itinerary to `sink` with the bundled DejaVu fonts (or `fonts` when given) and
    /// returns the page count.
    ///
    /// Characters DejaVu lacks (CJK …) are drawn with `fallback`, by default the bundled Droid Sans
    /// Fallback, which is loaded only when the itinerary has such a character (a Latin-only trip never
    /// parses nor embeds it). Without a fallback font they are drawn as boxes but still extract as text.
    @discardableResult
    public static func render(
        title: String, subtitle: String? = nil, days: [Day], summary: String? = nil,
        fonts: (regular: TrueTypeFont, bold: TrueTypeFont)? = nil, fallback: TrueTypeFont? = nil,
        creationDate: Date = Date(), to sink: PDFSink
    ) throws -> Int {
        let fonts = try fonts ?? BundledFonts.load()
        let blocks = blocks(title: title, subtitle: subtitle, days: days, summary: summary)
        var fallback = fallback
        if fallback == nil, blocks.contains(where: { needsFallback($0, fonts) }) {
            fallback = try? BundledFonts.sharedFallback()
        }
        let document = try PDFDocument(
            sink: sink, title: title, footer: title, regular: fonts.regular, bold: fonts.bold, fallback: fallback,
            creationDate: creationDate)
        try document.add(blocks)
        try document.finish()
        return document.pageCount
    }

    /// Whether `block` has a character the primary fonts lack.
    static func needsFallback(_ block: PDFBlock, _ fonts: (regular: TrueTypeFont, bold: TrueTypeFont)) -> Bool {
        let texts: [String]
        switch block {
        case .heading(let text, _), .paragraph(let text, _): texts = [text]
        case .row(let row): texts = [row.time, row.title, row.place, row.cost].compactMap { $0 }
        case .amount(let label, let value): texts = [label, value]
        case .group(let blocks): return blocks.contains { needsFallback($0, fonts) }
        case .rule, .spacer, .pageBreak: texts = []
        }
        return texts.contains { FontFallback.needsFallback($0, regular: fonts.regular, bold: fonts.bold) }
    }
}
