/// Turns one `PDFBlock` into lines for a text area `width` points wide, measuring with the
/// document's regular and bold fonts (and the fallback font for characters they lack). Pure: nothing
/// is drawn or recorded here.
struct BlockLayout {
    let fonts: FontFallback
    let width: Double

    /// Leading as a multiple of the font size.
    static let leading = 1.32
    /// Row columns: time and cost have fixed widths, title and place share the rest. The time column
    /// holds a range such as "09:30–11:45" on one line in bold 10 pt (68.7 pt in DejaVu Sans Bold).
    static let timeWidth = 72.0
    static let costWidth = 78.0
    static let gap = 10.0
    static let headingSizes = [26.0, 16.0, 12.5]

    func breaker(bold isBold: Bool, size: Double) -> LineBreaker {
        let fonts = fonts
        return LineBreaker { fonts.width(of: $0, bold: isBold, size: size) }
    }

    func lines(_ block: PDFBlock) -> [LayoutLine] {
        switch block {
        case .heading(let text, let level):
            let size = Self.headingSizes[max(0, min(level, Self.headingSizes.count - 1))]
            let style = PDFTextStyle(size: size, bold: true)
            var lines = wrapped(text, style: style)
            // Space above a heading belongs to it, so it moves to the next page together with it.
            if var first = lines.first {
                first.height += size * 0.6
                first.baseline += size * 0.6
                lines[0] = first
            }
            return lines
        case .paragraph(let text, let style):
            return wrapped(text, style: style)
        case .row(let row):
            return rowLines(row)
        case .amount(let label, let value):
            let size = 10.5
            let valueWidth = fonts.width(of: value, bold: true, size: size)
            let labelWidth = fonts.width(of: label, bold: true, size: size)
            let valueX = width - valueWidth
            // The rule above the total is part of it, so the two never land on different pages.
            return [
                LayoutLine(height: 8, baseline: 4, rule: true),
                LayoutLine(
                    height: size * 1.8, baseline: size * 1.2,
                    runs: [
                        .init(x: valueX - 12 - labelWidth, text: label, bold: true, size: size, gray: 0.25),
                        .init(x: valueX, text: value, bold: true, size: size, gray: 0),
                    ]),
            ]
        case .rule:
            return [LayoutLine(height: 8, baseline: 4, rule: true)]
        case .spacer(let height):
            return [LayoutLine(height: max(0, height), baseline: 0)]
        case .pageBreak:
            return []
        case .group(let blocks):
            return blocks.flatMap(lines)
        }
    }

    private func wrapped(_ text: String, style: PDFTextStyle) -> [LayoutLine] {
        let available = max(20, width - style.indent)
        return breaker(bold: style.bold, size: style.size).lines(text, width: available).map { line in
            LayoutLine(
                height: style.size * Self.leading, baseline: style.size,
                runs: [.init(x: style.indent, text: line, bold: style.bold, size: style.size, gray: style.gray)])
        }
    }

    private func rowLines(_ row: PDFRow) -> [LayoutLine] {
        let size = 10.0
        let placeSize = 9.0
        let flexible = max(40, width - Self.timeWidth - Self.costWidth - 3 * Self.gap)
        let titleWidth = (flexible * 0.58).rounded()
        let placeWidth = flexible - titleWidth
        let titleX = Self.timeWidth + Self.gap
        let placeX = titleX + titleWidth + Self.gap
        let costX = placeX + placeWidth + Self.gap

        let time = breaker(bold: true, size: size).lines(row.time ?? "", width: Self.timeWidth)
        let title = breaker(bold: false, size: size).lines(row.title, width: titleWidth)
        let place = breaker(bold: false, size: placeSize).lines(row.place ?? "", width: placeWidth)
        let cost = breaker(bold: false, size: size).lines(row.cost ?? "", width: Self.costWidth)
        let count = max(time.count, title.count, place.count, cost.count)
        return (0..<count).map { i in
            var line = LayoutLine(height: size * Self.leading, baseline: size)
            if i == 0 {
                // A little air above each row keeps a long schedule readable.
                line.height += 4
                line.baseline += 4
            }
            if i < time.count, !time[i].isEmpty {
                line.runs.append(.init(x: 0, text: time[i], bold: true, size: size, gray: 0.2))
            }
            if i < title.count, !title[i].isEmpty {
                line.runs.append(.init(x: titleX, text: title[i], bold: false, size: size, gray: 0))
            }
            if i < place.count, !place[i].isEmpty {
                line.runs.append(.init(x: placeX, text: place[i], bold: false, size: placeSize, gray: 0.35))
            }
            if i < cost.count, !cost[i].isEmpty {
                let x = costX + Self.costWidth - fonts.width(of: cost[i], bold: false, size: size)
                line.runs.append(.init(x: x, text: cost[i], bold: false, size: size, gray: 0))
            }
            return line
        }
    }
}
