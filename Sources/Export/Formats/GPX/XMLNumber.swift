/// Numbers for the XML formats (GPX, KML); their text goes through `MarkupText`.
enum XMLNumber {
    /// A coordinate with 7 decimals (about 1 cm), no exponent, `.` as the separator whatever the locale.
    static func coordinate(_ value: Double) -> String {
        let scaled = (value * 10_000_000).rounded()
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let whole = magnitude / 10_000_000
        var fraction = String(magnitude % 10_000_000)
        fraction = String(repeating: "0", count: 7 - fraction.count) + fraction
        return (negative ? "-" : "") + String(whole) + "." + fraction
    }
}
