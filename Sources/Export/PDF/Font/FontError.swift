/// Why a font file could not be used. Every read of font data is bounds-checked and ends here on bad
/// input, so a truncated or hostile file is an error, never a crash.
public enum FontError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A read past the end of the file or of a table.
    case truncated(table: String, offset: Int)
    /// A table the renderer needs is absent.
    case missingTable(String)
    /// A value that makes no sense (zero unitsPerEm, a glyph count that disagrees with `loca` …).
    case invalid(String)
    /// A font the renderer cannot embed: CFF outlines (`OTTO`), collections, other signatures.
    case unsupported(String)
    /// The bundled font file was not found beside the executable nor in the source tree.
    case notFound(String)

    public var description: String {
        switch self {
        case .truncated(let table, let offset): "font: '\(table)' truncated at byte \(offset)"
        case .missingTable(let tag): "font: required table '\(tag)' is missing"
        case .invalid(let what): "font: invalid \(what)"
        case .unsupported(let what): "font: unsupported \(what)"
        case .notFound(let file): "font: \(file) not found"
        }
    }
}
