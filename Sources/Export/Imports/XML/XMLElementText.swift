/// The text of one element the importers want (a `<name>`, a `<desc>`, a `<coordinates>`): text
/// and CDATA at exactly its depth, concatenated; text of any element nested inside is not part of it.
struct XMLElementText {
    /// Which field is being read, as the importer names it.
    var field: String
    /// The element's depth (root = 1).
    var depth: Int
    /// Where the element starts, for messages about its content.
    var line: Int
    var text = ""

    init(field: String, depth: Int, line: Int) {
        self.field = field
        self.depth = depth
        self.line = line
    }

    /// Appends `event`'s text when it is directly inside the element.
    mutating func take(_ event: XMLEvent, atDepth current: Int) {
        guard current == depth else { return }
        switch event.kind {
        case .text(let s), .cdata(let s): text += s
        case .start, .end: break
        }
    }
}
