/// Why a `ZipWriter` call was refused.
///
/// Name and state errors leave the writer usable (the call had no effect); `.writerFailed` means an
/// earlier sink or zlib error left the archive incomplete and nothing more can be written to it.
public enum ZipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entry name cannot be extracted safely or portably; `reason` says which rule it breaks.
    case invalidName(String, reason: String)
    /// An entry with this name (compared as Swift strings, so NFC and NFD spellings collide, as they
    /// would on a macOS disk) is already in the archive.
    case duplicateName(String)
    /// More entries than `ZipWriter.maxEntries`: the central directory is kept in memory until `finish`.
    case tooManyEntries(limit: Int)
    /// `startEntry` while another entry is still open.
    case entryAlreadyOpen
    /// `write` or `finishEntry` with no entry open.
    case noOpenEntry
    /// Any call after `finish`.
    case archiveFinished
    /// An earlier sink or compression error left the archive incomplete.
    case writerFailed

    public var description: String {
        switch self {
        case .invalidName(let name, let reason): "invalid entry name \(name.debugDescription): \(reason)"
        case .duplicateName(let name): "duplicate entry name \(name.debugDescription)"
        case .tooManyEntries(let limit): "more than \(limit) entries"
        case .entryAlreadyOpen: "an entry is already open; finish it first"
        case .noOpenEntry: "no entry is open"
        case .archiveFinished: "the archive is already finished"
        case .writerFailed: "an earlier error left the archive incomplete"
        }
    }
}
