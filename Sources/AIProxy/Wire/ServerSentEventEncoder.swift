import Kernel

/// Server-sent events as the gateway sends them downstream, in OpenAI's streaming format: each chunk
/// object on one `data:` line, and `data: [DONE]` at the end.
enum ServerSentEventEncoder {
    /// `data: [DONE]` and its blank line: the end of an OpenAI stream.
    static let done: [UInt8] = Array("data: [DONE]\n\n".utf8)

    /// `data: {compact JSON}` and a blank line. Compact JSON escapes every control character, so the
    /// object always fits on one line.
    static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = Array("data: ".utf8)
        value.append(to: &out)
        out.append(contentsOf: [0x0A, 0x0A])
        return out
    }

    /// A general event: the name when given, each line of `data` on its own `data:` line (CR, LF and
    /// CRLF all split lines, so nothing in `data` can end the event early or forge a field).
    static func encode(data: [UInt8], event: String? = nil) -> [UInt8] {
        var out: [UInt8] = []
        if let event {
            out.append(contentsOf: "event: ".utf8)
            out.append(contentsOf: event.utf8.filter { $0 != 0x0A && $0 != 0x0D })
            out.append(0x0A)
        }
        var lineStart = 0
        var index = 0
        func emit(_ end: Int) {
            out.append(contentsOf: "data: ".utf8)
            out.append(contentsOf: data[lineStart..<end])
            out.append(0x0A)
        }
        while index < data.count {
            let byte = data[index]
            if byte == 0x0A || byte == 0x0D {
                emit(index)
                if byte == 0x0D, index + 1 < data.count, data[index + 1] == 0x0A { index += 1 }
                lineStart = index + 1
            }
            index += 1
        }
        emit(data.count)
        out.append(0x0A)
        return out
    }
}
