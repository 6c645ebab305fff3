import Foundation
import TestSupport

@testable import Export

/// What the PDF tests share: the bundled fonts (parsed once) and the command-line tools that read
/// PDFs independently of our code (poppler's pdftotext/pdftoppm/pdffonts, pypdf, qpdf).
enum PDFFixtures {
    static let fonts: (regular: TrueTypeFont, bold: TrueTypeFont)? = try? BundledFonts.load()

    /// Debian's python3 (apt's python3-pypdf lives there, not in a pyenv or venv python).
    static let python = "/usr/bin/python3"

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func loadedFonts() throws -> (regular: TrueTypeFont, bold: TrueTypeFont) {
        guard let fonts else { throw Failure(description: "bundled DejaVu fonts not found") }
        return fonts
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pdf-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs a tool; throws with its output when it exits non-zero.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let result = try ToolProcess.run(tool, arguments)
        guard result.status == 0 else {
            throw Failure(
                description: "\(tool) \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)")
        }
        return result.output
    }

    /// A PDF's text per page according to pdftotext (`layout`: columns kept apart by spaces).
    static func pdftotext(_ path: String, layout: Bool) throws -> [String] {
        let text = try run("/usr/bin/pdftotext", (layout ? ["-layout"] : []) + ["-enc", "UTF-8", path, "-"])
        var pages = text.components(separatedBy: "\u{0C}")
        if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
        return pages
    }

    /// A PDF's text per page according to pypdf (a second, independent reader).
    static func pypdfPages(_ path: String) throws -> [String] {
        let script = """
            import json, sys, pypdf
            reader = pypdf.PdfReader(sys.argv[1])
            print(json.dumps([page.extract_text() for page in reader.pages]))
            """
        let output = try run(python, ["-c", script, path])
        guard let data = output.data(using: .utf8),
            let pages = try JSONSerialization.jsonObject(with: data) as? [String]
        else { throw Failure(description: "pypdf output is not a JSON list: \(output.prefix(300))") }
        return pages
    }

    /// `text` with every run of whitespace as one space (wrapping moves line breaks around).
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
