import Compression
import Foundation
import Trips

/// Renders a trip in one format into an `ExportOutput`. The text formats are built in memory (a trip
/// holds at most 2,000 items, so they are bounded); the PDF is written page by page, and the ZIP
/// deflates each member as it is produced, the PDF streaming straight into its entry.
struct TripRenderer {
    let contents: TripContents
    let fonts: (regular: TrueTypeFont, bold: TrueTypeFont)
    let exportedAt: Date

    var itinerary: ItineraryView { contents.itinerary }

    func render(_ format: ExportFormat, to out: ExportOutput) throws {
        switch format {
        case .zip: try zip(to: out)
        case .pdf: try pdf(to: out)
        default: try out.write(try text(format))
        }
    }

    /// The formats that are built whole; `csv` is the items table (the ZIP also carries the expenses).
    func text(_ format: ExportFormat) throws -> [UInt8] {
        switch format {
        case .json: try TripDocument.render(contents, exportedAt: exportedAt)
        case .ics, .gpx, .kml, .csv: Self.itineraryText(format, itinerary)
        case .pdf, .zip: []
        }
    }

    /// The formats an itinerary alone is enough for (also served directly by `DirectExportRoutes`).
    static func itineraryText(_ format: ExportFormat, _ itinerary: ItineraryView) -> [UInt8] {
        switch format {
        case .ics: ICSCalendar(name: itinerary.trip.title, events: TripCalendar.events(itinerary)).render()
        case .gpx: GPXWriter.render(TripGeo.export(itinerary))
        case .kml: KMLWriter.render(TripGeo.export(itinerary))
        case .csv: TripCSV.items(itinerary)
        case .json, .pdf, .zip: []
        }
    }

    func pdf(to sink: PDFSink) throws {
        try ItineraryPDF.render(
            title: itinerary.trip.title, subtitle: TripPDF.subtitle(itinerary), days: TripPDF.days(itinerary),
            summary: TripPDF.summary(itinerary), fonts: fonts, creationDate: exportedAt, to: sink)
    }

    /// `trip.json`, `trip.ics`, `trip.gpx`, `trip.kml`, `items.csv`, `expenses.csv` and `trip.pdf`.
    func zip(to out: ExportOutput) throws {
        let zip = ZipWriter { try out.write(raw: $0) }
        for (name, format) in [
            ("trip.json", ExportFormat.json), ("trip.ics", .ics), ("trip.gpx", .gpx), ("trip.kml", .kml),
        ] {
            try zip.addEntry(name: name, data: try text(format), modified: exportedAt)
        }
        try zip.addEntry(name: "items.csv", data: TripCSV.items(itinerary), modified: exportedAt)
        try zip.addEntry(name: "expenses.csv", data: TripCSV.expenses(contents), modified: exportedAt)
        try zip.startEntry(name: "trip.pdf", modified: exportedAt)
        try pdf(to: ZipEntrySink(zip: zip))
        try zip.finishEntry()
        try zip.finish()
    }
}

/// Feeds a PDF into the open entry of a ZIP.
final class ZipEntrySink: PDFSink {
    let zip: ZipWriter

    init(zip: ZipWriter) { self.zip = zip }

    func write(_ bytes: [UInt8]) throws { try zip.write(bytes) }
}
