import Foundation
import Testing

@testable import Export

@Suite struct PDFWriterTests {
    /// Checks every in-use cross-reference entry points at `N 0 obj`; returns the entry count.
    static func checkCrossReferences(_ pdf: [UInt8]) throws -> Int {
        let text = String(decoding: pdf, as: UTF8.self)
        let tail = try #require(text.range(of: "startxref\n", options: .backwards))
        let startDigits = text[tail.upperBound...].prefix { $0.isNumber }
        let start = try #require(Int(startDigits))
        let xref = Array(pdf[start...])
        #expect(String(decoding: xref.prefix(5), as: UTF8.self) == "xref\n")
        let header = String(decoding: xref.prefix(40), as: UTF8.self).split(separator: "\n")[1]
        let count = try #require(Int(header.split(separator: " ")[1]))
        let entriesStart = 5 + header.utf8.count + 1
        for number in 0..<count {
            let entry = String(
                decoding: xref[(entriesStart + number * 20)..<(entriesStart + number * 20 + 20)], as: UTF8.self)
            #expect(entry.hasSuffix("\r\n"), "entry \(number) is not 20 bytes")
            if number == 0 {
                #expect(entry == "0000000000 65535 f\r\n")
                continue
            }
            let offset = try #require(Int(entry.prefix(10)))
            let expected = Array("\(number) 0 obj".utf8)
            #expect(Array(pdf[offset..<min(pdf.count, offset + expected.count)]) == expected, "object \(number)")
        }
        return count
    }

    @Test func crossReferenceOffsetsPointAtTheirObjects() throws {
        let sink = PDFMemorySink()
        let writer = try PDFWriter(sink: sink)
        let late = writer.reserve()  // reserved first, written last: offsets must not assume order
        let pages = writer.reserve()
        let content = writer.reserve()
        try writer.writeStream(content, data: Array("BT ET".utf8))
        try writer.write(pages, "<< /Type /Pages /Kids [] /Count 0 >>")
        let info = writer.reserve()
        try writer.write(info, "<< /Title \(PDFSyntax.textString("Café → 東京")) >>")
        try writer.write(late, "<< /Type /Catalog /Pages \(pages) >>")
        try writer.finish(root: late, info: info)
        #expect(try Self.checkCrossReferences(sink.bytes) == 5)
    }

    @Test func refusesToFinishWithAnUnwrittenObject() throws {
        let writer = try PDFWriter(sink: PDFMemorySink())
        let root = writer.reserve()
        _ = writer.reserve()
        try writer.write(root, "<< /Type /Catalog >>")
        #expect(throws: PDFWriter.WriterError.neverWritten(2)) { try writer.finish(root: root, info: root) }
        #expect(throws: PDFWriter.WriterError.alreadyWritten(1)) { try writer.write(root, "null") }
    }

    @Test func syntaxHelpers() {
        #expect(PDFSyntax.number(595.28) == "595.28")
        #expect(PDFSyntax.number(-0.0004) == "0")
        #expect(PDFSyntax.number(12) == "12")
        #expect(PDFSyntax.textString("é😀") == "<FEFF00E9D83DDE00>")
        #expect(PDFSyntax.date(Date(timeIntervalSince1970: 0)) == "D:19700101000000Z")
    }
}
