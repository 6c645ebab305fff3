import Foundation
import TestSupport
import Testing

@testable import Export

/// RFC 4180 output, read back by Python's `csv` module.
@Suite struct CSVWriterTests {
    static let rows: [[String?]] = [
        ["Café, Lisboa", "12.50", "EUR", "said \"hello\""],
        ["two\nlines", "-3.20", nil, "東京"],
        ["=HYPERLINK(\"http://evil\")", "+1", "@SUM(A1)", "-rm"],
        ["short"],
    ]

    func render() -> [UInt8] {
        var csv = CSVWriter(header: ["title", "amount", "currency", "notes"])
        for row in Self.rows { csv.appendRow(row) }
        return csv.bytes
    }

    @Test func pythonsCSVModuleReadsTheSameRows() throws {
        let path = NSTemporaryDirectory() + "csv-\(UUID()).csv"
        try Data(render()).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try ToolProcess.run(
            "/usr/bin/python3",
            [
                "-c",
                "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))",
                path,
            ])
        try #require(run.status == 0, "\(run.output)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[String]])
        #expect(parsed.count == 5)
        #expect(parsed[0] == ["title", "amount", "currency", "notes"])
        #expect(parsed[1] == ["Café, Lisboa", "12.50", "EUR", "said \"hello\""])
        #expect(parsed[2] == ["two\nlines", "-3.20", "", "東京"])
        // Formulas are defused; a negative number is still a number.
        #expect(parsed[3] == ["'=HYPERLINK(\"http://evil\")", "+1", "'@SUM(A1)", "'-rm"])
        #expect(parsed[4] == ["short", "", "", ""], "every record has the header's field count")
    }

    @Test func recordsEndInCRLFAndOnlyFieldsThatNeedQuotesHaveThem() {
        let text = String(decoding: render(), as: UTF8.self)
        #expect(text.hasPrefix("title,amount,currency,notes\r\n\"Café, Lisboa\",12.50,EUR,\"said \"\"hello\"\"\"\r\n"))
        #expect(text.hasSuffix("short,,,\r\n"))
    }
}
