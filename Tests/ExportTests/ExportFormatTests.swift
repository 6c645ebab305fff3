import Export
import Testing

@Suite struct ExportFormatTests {
    @Test func mediaTypesAreTheRegisteredOnes() {
        #expect(ExportFormat.ics.contentType == "text/calendar; charset=utf-8")
        #expect(ExportFormat.gpx.contentType == "application/gpx+xml")
        #expect(ExportFormat.kml.contentType == "application/vnd.google-earth.kml+xml")
        #expect(ExportFormat(rawValue: "pdf")?.contentType == "application/pdf")
    }

    @Test func onlyTheTextFormatsAreServedDirectly() {
        #expect(ExportFormat.allCases.filter(\.servedDirectly) == [.json, .ics, .gpx, .kml, .csv])
    }
}
