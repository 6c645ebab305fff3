/// One parsed line of the gazetteer TSV: the place plus where its searchable names sit in the buffer.
struct GazetteerTSVRecord {
    var place: GazetteerPlace
    var name: Range<Int>
    var asciiName: Range<Int>
    /// Comma-separated alternate names; may be empty.
    var alternateNames: Range<Int>
}

/// Reads the gazetteer TSV written by `scripts/gazetteer/build.py` straight from its bytes.
///
/// Columns: geonameid, name, asciiname, country_code, admin1, latitude, longitude, population,
/// timezone, alternate names. `#` lines and blank lines are ignored; a line that does not parse
/// (wrong column count, bad number, coordinate out of range, empty name, bad country code) is
/// skipped and counted, so one corrupt line never keeps the server from starting.
enum GazetteerTSVParser {
    static let columnCount = 10

    /// Calls `body` for each valid line in file order. - Returns: the number of skipped lines.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (GazetteerTSVRecord) -> Void) -> Int {
        var skipped = 0
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != newline { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart && bytes[contentEnd - 1] == carriageReturn { contentEnd -= 1 }
            if contentEnd > lineStart && bytes[lineStart] != hash {
                if let record = parseLine(bytes, lineStart..<contentEnd) {
                    body(record)
                } else {
                    skipped += 1
                }
            }
            lineStart = lineEnd + 1
        }
        return skipped
    }

    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let hash = UInt8(ascii: "#")
    private static let tab = UInt8(ascii: "\t")

    private static func parseLine(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> GazetteerTSVRecord? {
        var fields: [Range<Int>] = []
        fields.reserveCapacity(columnCount)
        var fieldStart = line.lowerBound
        for index in line where bytes[index] == tab {
            fields.append(fieldStart..<index)
            fieldStart = index + 1
        }
        fields.append(fieldStart..<line.upperBound)
        guard fields.count == columnCount else { return nil }

        guard let geonameID = parseUnsigned(bytes, fields[0]), geonameID > 0,
            let latitude = parseDecimal(bytes, fields[5]),
            let longitude = parseDecimal(bytes, fields[6]),
            let population = parseUnsigned(bytes, fields[7]),
            !fields[1].isEmpty,
            isCountryCode(bytes, fields[3])
        else { return nil }
        let coordinate = Coordinate(latitude: latitude, longitude: longitude)
        guard coordinate.isValid else { return nil }

        let place = GazetteerPlace(
            geonameID: geonameID,
            name: string(bytes, fields[1]),
            countryCode: string(bytes, fields[3]),
            admin1: string(bytes, fields[4]),
            coordinate: coordinate,
            population: population,
            timeZone: string(bytes, fields[8]))
        return GazetteerTSVRecord(
            place: place, name: fields[1], asciiName: fields[2], alternateNames: fields[9])
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private static func isCountryCode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        range.count == 2 && range.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[$0]) }
    }

    /// Digits only, no sign (`Int("+5")` would accept one), overflow checked.
    static func parseUnsigned(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        var value = 0
        for index in range {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(digit))
            guard !overflow1 && !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// Exact powers of ten; mantissa ÷ 10ⁿ is then correctly rounded like `strtod`.
    private static let powersOfTen: [Double] = (0...15).map { exponent in
        (0..<exponent).reduce(1.0) { product, _ in product * 10 }
    }

    /// `-?digits(.digits)?` with at most 15 significant digits, which every GeoNames coordinate fits.
    static func parseDecimal(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        var index = range.lowerBound
        var negative = false
        if index < range.upperBound && bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa: Int64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        while index < range.upperBound {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            digits += 1
            guard digits < powersOfTen.count else { return nil }
            mantissa = mantissa * 10 + Int64(digit)
            if seenPoint { fractionDigits += 1 }
        }
        guard digits > 0 else { return nil }
        let magnitude = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -magnitude : magnitude
    }
}
