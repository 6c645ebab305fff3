import Logging

/// Renders one log event as one line: a JSON object (`ts`, `level`, `logger`, `msg`, then the metadata
/// keys flattened, sorted) or a readable text line. Metadata keys that collide with the four fixed
/// keys are written as `meta_<key>` so the object never has duplicate keys.
struct LogLineEncoder: Sendable {
    let format: LogFormat

    /// The line's own keys; a metadata key with one of these names is written as `meta_<name>`.
    /// A switch, not a Set: this runs for every key of every line, and hashing showed in profiles.
    private static func isReserved(_ key: String) -> Bool {
        switch key {
        case "ts", "level", "logger", "msg": true
        default: false
        }
    }

    /// Metadata pairs in key order: sorted once as pairs, without a dictionary lookup per key.
    private static func sortedPairs(_ metadata: Logger.Metadata) -> [(key: String, value: Logger.MetadataValue)] {
        metadata.sorted { $0.key < $1.key }
    }

    func encode(
        millis: Int64, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        switch format {
        case .json: json(millis, level, label, message, metadata, &out)
        case .text: text(millis, level, label, message, metadata, &out)
        }
        out.append(0x0A)
        return out
    }

    private func json(
        _ millis: Int64, _ level: Logger.Level, _ label: String, _ message: String, _ metadata: Logger.Metadata,
        _ out: inout [UInt8]
    ) {
        out.append(contentsOf: #"{"ts":""#.utf8)
        LogTimestamp.append(millis: millis, to: &out)
        out.append(contentsOf: #"","level":""#.utf8)
        out.append(contentsOf: level.rawValue.utf8)
        out.append(contentsOf: #"","logger":"#.utf8)
        JSONEncoding.appendString(label, to: &out)
        out.append(contentsOf: #","msg":"#.utf8)
        JSONEncoding.appendString(message, to: &out)
        for (key, value) in Self.sortedPairs(metadata) {
            out.append(0x2C)
            JSONEncoding.appendString(Self.isReserved(key) ? "meta_" + key : key, to: &out)
            out.append(0x3A)
            Self.appendJSON(value, &out)
        }
        out.append(0x7D)
    }

    private func text(
        _ millis: Int64, _ level: Logger.Level, _ label: String, _ message: String, _ metadata: Logger.Metadata,
        _ out: inout [UInt8]
    ) {
        LogTimestamp.append(millis: millis, to: &out)
        out.append(0x20)
        let name = level.rawValue.uppercased()
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: repeatElement(0x20, count: max(1, 9 - name.count)))
        out.append(contentsOf: label.utf8)
        out.append(contentsOf: ": ".utf8)
        // A message is one line: newlines inside it would forge a second log line.
        out.append(contentsOf: message.utf8.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
        for (key, value) in Self.sortedPairs(metadata) {
            out.append(0x20)
            out.append(contentsOf: key.utf8)
            out.append(UInt8(ascii: "="))
            if case .string(let s) = value, Self.isBare(s) {
                out.append(contentsOf: s.utf8)
            } else if case .stringConvertible(let v) = value, let n = Self.numberText(v) {
                out.append(contentsOf: n.utf8)
            } else {
                Self.appendJSON(value, &out)
            }
        }
    }

    /// Strings that read unambiguously without quotes in a text line.
    private static func isBare(_ s: String) -> Bool {
        !s.isEmpty
            && s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=") }
    }

    /// The JSON number (or boolean) text for numeric metadata values, nil for anything else.
    private static func numberText(_ v: any CustomStringConvertible & Sendable) -> String? {
        switch v {
        case let n as LogNumber: n.description
        case let i as Int: String(i)
        case let i as Int64: String(i)
        case let i as UInt64: String(i)
        case let i as Int32: String(i)
        case let b as Bool: b ? "true" : "false"
        case let d as Double: doubleText(d)
        default: nil
        }
    }

    private static func doubleText(_ d: Double) -> String {
        var out: [UInt8] = []
        JSONEncoding.appendDouble(d, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendJSON(_ value: Logger.MetadataValue, _ out: inout [UInt8]) {
        switch value {
        case .string(let s):
            JSONEncoding.appendString(s, to: &out)
        case .stringConvertible(let v):
            if let n = numberText(v) {
                out.append(contentsOf: n.utf8)
            } else {
                JSONEncoding.appendString(v.description, to: &out)
            }
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                appendJSON(item, &out)
            }
            out.append(0x5D)
        case .dictionary(let dict):
            out.append(0x7B)
            for (i, key) in dict.keys.sorted().enumerated() {
                guard let item = dict[key] else { continue }
                if i > 0 { out.append(0x2C) }
                JSONEncoding.appendString(key, to: &out)
                out.append(0x3A)
                appendJSON(item, &out)
            }
            out.append(0x7D)
        }
    }
}
