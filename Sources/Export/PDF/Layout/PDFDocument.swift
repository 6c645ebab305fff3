import Foundation

/// Lays out `PDFBlock`s on A4 pages and streams the PDF to a sink: each page's content stream and
/// page object are written as soon as the page is full; the fonts (which need every glyph used),
/// the page tree and the catalog are written by `finish`.
///
/// "Page N of M" without a second pass: each footer draws "Page N of " itself and then a shared form
/// XObject for M, written once at the end when M is known. Viewers and text extraction (pdftotext,
/// pypdf) treat the form's text as part of the page.
public final class PDFDocument {
    /// A4 in points, and the margins around the text area.
    public static let pageWidth = 595.28
    public static let pageHeight = 841.89
    public static let margin = 56.0
    static let footerSize = 8.0

    private let writer: PDFWriter
    private let regular: PDFEmbeddedFont
    private let bold: PDFEmbeddedFont
    private let fonts: FontFallback
    /// The fallback font as embedded, created on its first use: a document that never needs it has no
    /// trace of it (same objects, same bytes as without a fallback).
    private var fallback: PDFEmbeddedFont?
    private let layout: BlockLayout
    private let title: String
    private let footer: String
    private let creationDate: Date

    private let pagesID: PDFObjectID
    private let resourcesID: PDFObjectID
    private let pageTotalID: PDFObjectID
    private var pageIDs: [PDFObjectID] = []
    private var content = PDFContent()
    /// Distance left from the current position down to the bottom of the text area.
    private var remaining = 0.0
    private var pageHasContent = false
    /// Headings waiting for the block after them (a heading never ends a page).
    private var pendingHeadings: [[LayoutLine]] = []

    private var textTop: Double { Self.pageHeight - Self.margin }
    private var textHeight: Double { Self.pageHeight - 2 * Self.margin - 18 }

    /// - Parameters:
    ///   - footer: drawn at the bottom left of every page (e.g. the trip name).
    ///   - fallback: draws characters `regular` or `bold` lack (CJK); embedded as `F3` only when used.
    ///   - creationDate: `/CreationDate` in `/Info`; injectable so output can be reproducible.
    public init(
        sink: PDFSink, title: String, footer: String = "", regular: TrueTypeFont, bold: TrueTypeFont,
        fallback: TrueTypeFont? = nil, creationDate: Date = Date()
    ) throws {
        writer = try PDFWriter(sink: sink)
        self.regular = PDFEmbeddedFont(regular, resourceName: "F1", writer: writer)
        self.bold = PDFEmbeddedFont(bold, resourceName: "F2", writer: writer)
        fonts = FontFallback(regular: regular, bold: bold, fallback: fallback)
        layout = BlockLayout(fonts: fonts, width: Self.pageWidth - 2 * Self.margin)
        self.title = title
        self.footer = footer
        self.creationDate = creationDate
        pagesID = writer.reserve()
        resourcesID = writer.reserve()
        pageTotalID = writer.reserve()
        remaining = textHeight
    }

    /// The number of pages written so far.
    public var pageCount: Int { pageIDs.count }

    /// Lays out `block`, writing out every page it fills.
    public func add(_ block: PDFBlock) throws {
        if case .pageBreak = block {
            try flushHeadings()
            if pageHasContent { try endPage() }
            return
        }
        let lines = layout.lines(block)
        if case .heading = block {
            pendingHeadings.append(lines)
            return
        }
        guard !lines.isEmpty else { return }
        // Keep a row or total whole when it fits on a page; otherwise at least its first line moves along.
        let total = lines.reduce(0) { $0 + $1.height }
        var needed = (lines.first?.height ?? 0)
        switch block {
        case .row, .amount, .group: if total <= textHeight { needed = total }
        default: break
        }
        let headings = pendingHeadings.flatMap { $0 }
        needed += headings.reduce(0) { $0 + $1.height }
        if needed > remaining, pageHasContent { try endPage() }
        for line in headings { try place(line) }
        pendingHeadings = []
        for line in lines { try place(line) }
    }

    /// Adds every block in order.
    public func add(_ blocks: [PDFBlock]) throws {
        for block in blocks { try add(block) }
    }

    /// Ends the last page and writes the fonts, page tree, catalog, `/Info` and cross-reference table.
    public func finish() throws {
        try flushHeadings()
        if pageHasContent || pageIDs.isEmpty { try endPage() }
        let total = regular.encode(String(pageIDs.count))
        var form = PDFContent()
        form.text(total, font: regular, size: Self.footerSize, gray: 0.4, x: 0, y: 0)
        try writer.writeStream(
            pageTotalID,
            "/Type /XObject /Subtype /Form /BBox [0 -4 200 12] /Resources << /Font << /F1 \(regular.id) >> >>",
            data: form.bytes)
        try regular.writeObjects(to: writer)
        try bold.writeObjects(to: writer)
        var fontResources = "/F1 \(regular.id) /F2 \(bold.id)"
        if let fallback {
            try fallback.writeObjects(to: writer)
            fontResources += " /\(fallback.resourceName) \(fallback.id)"
        }
        try writer.write(
            resourcesID, "<< /Font << \(fontResources) >> /XObject << /PageTotal \(pageTotalID) >> >>")
        let kids = pageIDs.map(\.description).joined(separator: " ")
        try writer.write(pagesID, "<< /Type /Pages /Kids [\(kids)] /Count \(pageIDs.count) >>")
        let catalog = writer.reserve()
        try writer.write(catalog, "<< /Type /Catalog /Pages \(pagesID) >>")
        let info = writer.reserve()
        let date = PDFSyntax.textString(PDFSyntax.date(creationDate))
        try writer.write(
            info,
            "<< /Title \(PDFSyntax.textString(title)) /Producer \(PDFSyntax.textString("TravelSense"))"
                + " /CreationDate \(date) >>")
        try writer.finish(root: catalog, info: info)
    }

    private func flushHeadings() throws {
        let headings = pendingHeadings.flatMap { $0 }
        pendingHeadings = []
        guard !headings.isEmpty else { return }
        if headings.reduce(0, { $0 + $1.height }) > remaining, pageHasContent { try endPage() }
        for line in headings { try place(line) }
    }

    private func place(_ line: LayoutLine) throws {
        if line.height > remaining, pageHasContent { try endPage() }
        let top = textTop - (textHeight - remaining)
        let baseline = top - line.baseline
        for run in line.runs {
            draw(run.text, bold: run.bold, size: run.size, gray: run.gray, x: Self.margin + run.x, y: baseline)
        }
        if line.rule {
            content.rule(
                from: Self.margin, to: Self.pageWidth - Self.margin, y: top - line.height / 2, gray: 0.7)
        }
        remaining -= line.height
        pageHasContent = true
    }

    /// The footer, cut with "…" when it would run into the page number (a long title).
    private func fittedFooter(width: Double) -> String {
        guard fonts.width(of: footer, bold: false, size: Self.footerSize) > width else { return footer }
        var text = footer
        while !text.isEmpty, fonts.width(of: text + "…", bold: false, size: Self.footerSize) > width {
            text.removeLast()
        }
        return text + "…"
    }

    /// Draws `text` from (`x`, `y`), one text object per font run: characters the primary font lacks
    /// go to the fallback font, advancing by the same widths layout measured.
    private func draw(_ text: String, bold isBold: Bool, size: Double, gray: Double, x: Double, y: Double) {
        var x = x
        for segment in fonts.segments(text, bold: isBold) {
            let font: PDFEmbeddedFont
            if segment.usesFallback {
                font = fallbackFont()
            } else {
                font = isBold ? bold : regular
            }
            content.text(font.encode(segment.text), font: font, size: size, gray: gray, x: x, y: y)
            x += fonts.width(of: segment.text, bold: isBold, size: size)
        }
    }

    /// The embedded fallback font, reserved on first use (only called when `fonts.fallback` is set).
    private func fallbackFont() -> PDFEmbeddedFont {
        if let fallback { return fallback }
        // `segments` marks a run as fallback only when there is a fallback font.
        let font = PDFEmbeddedFont(fonts.fallback ?? fonts.regular, resourceName: "F3", writer: writer)
        fallback = font
        return font
    }

    /// Draws the footer and writes the page's content stream and page object.
    private func endPage() throws {
        let number = pageIDs.count + 1
        let y = Self.margin - 14
        content.rule(from: Self.margin, to: Self.pageWidth - Self.margin, y: y + 12, gray: 0.8)
        let label = "Page \(number) of "
        // Room for a four-digit total after the label, which is only known at the end.
        let x = Self.pageWidth - Self.margin - regular.width(of: label + "0000", size: Self.footerSize)
        if !footer.isEmpty {
            draw(
                fittedFooter(width: x - Self.margin - 12), bold: false, size: Self.footerSize, gray: 0.4,
                x: Self.margin, y: y)
        }
        content.text(regular.encode(label), font: regular, size: Self.footerSize, gray: 0.4, x: x, y: y)
        content.form("PageTotal", x: x + regular.width(of: label, size: Self.footerSize), y: y)

        let contentID = writer.reserve()
        try writer.writeStream(contentID, data: content.bytes)
        let pageID = writer.reserve()
        try writer.write(
            pageID,
            "<< /Type /Page /Parent \(pagesID) /MediaBox [0 0 \(PDFSyntax.number(Self.pageWidth))"
                + " \(PDFSyntax.number(Self.pageHeight))] /Resources \(resourcesID) /Contents \(contentID) >>")
        pageIDs.append(pageID)
        content = PDFContent()
        remaining = textHeight
        pageHasContent = false
    }
}
