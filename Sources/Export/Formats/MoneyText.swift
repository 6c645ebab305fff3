import Trips

/// An amount in minor units as a decimal in its currency's own digits: `12.50`, `1200` (JPY), `1.250`
/// (BHD). Integer arithmetic only, so the text never depends on locale or floating point.
enum MoneyText {
    static func decimal(_ amount: Int64, _ currency: String, grouped: Bool = false) -> String {
        let digits = Currency.minorUnits(currency) ?? 2
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let magnitude = amount.magnitude
        var whole = String(magnitude / scale)
        if grouped {
            var out = ""
            while whole.count > 3 {
                out = "," + whole.suffix(3) + out
                whole.removeLast(3)
            }
            whole += out
        }
        var text = (amount < 0 ? "-" : "") + whole
        if digits > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }
}
