/// One laid-out line of a block, ready to place on a page: its height and what to draw, with
/// positions relative to the text area's left edge and the line's top.
struct LayoutLine {
    /// A run of text in one font, size and gray.
    struct Run {
        var x: Double
        var text: String
        var bold: Bool
        var size: Double
        var gray: Double
    }

    var height: Double
    /// Distance from the line's top to the text baseline.
    var baseline: Double
    var runs: [Run] = []
    /// A horizontal rule through the middle of the line.
    var rule = false
}
