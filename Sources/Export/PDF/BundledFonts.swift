import Foundation

/// DejaVu Sans and DejaVu Sans Bold, shipped as resources of the Export target (from Debian's
/// `fonts-dejavu-core`; Bitstream Vera licence + public domain, see `Resources/DejaVu-LICENSE.md`), so a
/// render never depends on the machine's `/usr/share/fonts`.
///
/// Droid Sans Fallback (from Debian's `fonts-droid-fallback`; Apache-2.0, see
/// `Resources/DroidSansFallback-LICENSE.md`) draws what DejaVu lacks (CJK ideographs, kana, Hangul). It is
/// 4 MB, so it is parsed only when a document needs it (`sharedFallback`), and embedded only then.
public enum BundledFonts {
    public static let regularFile = "DejaVuSans.ttf"
    public static let boldFile = "DejaVuSans-Bold.ttf"
    public static let fallbackFile = "DroidSansFallbackFull.ttf"

    /// Loads and parses both fonts (about 1.5 MB read, a few milliseconds of parsing).
    /// - Parameter directory: `FONT_DIR` from the configuration, when set.
    public static func load(
        directory: String? = ProcessInfo.processInfo.environment["FONT_DIR"]
    ) throws -> (
        regular: TrueTypeFont, bold: TrueTypeFont
    ) {
        (
            try TrueTypeFont(contentsOf: try locate(regularFile, directory: directory)),
            try TrueTypeFont(contentsOf: try locate(boldFile, directory: directory))
        )
    }

    /// Loads and parses the fallback font (same lookup order as `load`).
    public static func loadFallback(
        directory: String? = ProcessInfo.processInfo.environment["FONT_DIR"]
    ) throws -> TrueTypeFont {
        try TrueTypeFont(contentsOf: try locate(fallbackFile, directory: directory))
    }

    /// The fallback font, parsed on first use and kept for the life of the process (or the error, so a
    /// missing file is not searched for on every render).
    public static func sharedFallback() throws -> TrueTypeFont {
        try fallbackOnce.get()
    }

    private static let fallbackOnce = Result { try loadFallback() }

    /// The font file: in `directory` when given, else the copy SwiftPM installs beside the executable
    /// (`travelsense_Export.resources/`, as the Dockerfile ships it), else the source tree (a checkout).
    public static func locate(_ file: String, directory: String? = nil) throws -> String {
        var candidates: [String] = []
        if let directory, !directory.isEmpty { candidates.append(directory + "/" + file) }
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            candidates.append(exe.appendingPathComponent("travelsense_Export.resources/\(file)").path)
            candidates.append(exe.appendingPathComponent("../share/travelsense/\(file)").standardized.path)
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(source.appendingPathComponent("Resources/\(file)").path)
        guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            throw FontError.notFound(file)
        }
        return found
    }
}
