/// An element or attribute name split at its namespace prefix. The importers match on `local` only:
/// GPX and KML files put their elements in a default namespace (or `kml:`/`gpx:` prefixes) and the
/// namespace URI varies by version and tool, so requiring it would refuse good files for no gain.
struct XMLName: Sendable, Hashable, CustomStringConvertible {
    /// Before the colon, if any (`kml` in `kml:Placemark`).
    var prefix: Substring?
    var local: Substring
    /// As written: what end tags must repeat and what messages show.
    var qualified: String

    init(_ qualified: String) {
        self.qualified = qualified
        if let colon = qualified.firstIndex(of: ":") {
            prefix = qualified[..<colon]
            local = qualified[qualified.index(after: colon)...]
        } else {
            prefix = nil
            local = qualified[...]
        }
    }

    var description: String { qualified }
}

/// One attribute of a start tag, its value with references decoded and whitespace normalised.
struct XMLAttribute: Sendable, Hashable {
    var name: XMLName
    var value: String
}

/// What `XMLReader.next()` reports. Comments, processing instructions and the XML declaration are
/// consumed silently; a self-closing `<a/>` is a start followed by an end.
struct XMLEvent: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case start(XMLName, attributes: [XMLAttribute])
        case end(XMLName)
        /// Character data with references decoded and line breaks normalised to LF. Text between
        /// two tags may arrive as several events (split around CDATA sections).
        case text(String)
        /// A `<![CDATA[…]]>` section, verbatim.
        case cdata(String)
    }

    var kind: Kind
    /// The 1-based line the event starts on (the `<` of a tag, the first character of text).
    var line: Int
}

extension [XMLAttribute] {
    /// The value of the attribute with this local name; an unprefixed one wins over a prefixed one.
    func value(_ local: String) -> String? {
        first(where: { $0.name.prefix == nil && $0.name.local == local })?.value
            ?? first(where: { $0.name.prefix != "xmlns" && $0.name.local == local })?.value
    }
}
