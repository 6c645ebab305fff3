/// Turns an upstream's event-stream bytes into events, whatever the chunk boundaries (the HTTP client
/// hands over whatever each read returned, so a line, or even a CRLF, may be split between chunks).
///
/// Follows the WHATWG event-stream interpretation: lines end with CRLF, LF or a lone CR; an empty line
/// dispatches the event; `:` starts a comment; one space after a field's colon is dropped; several
/// `data:` lines join with LF; an event without data is not dispatched; an unfinished event at the end
/// of the stream is dropped (`finish`). Unknown fields (`retry:` included) are ignored.
struct ServerSentEventParser: Sendable {
    /// The longest line or event accepted: an upstream that never ends a line must not exhaust memory.
    static let maximumEventBytes = 8 * 1024 * 1024

    enum Failure: Error, Sendable, Equatable {
        case eventTooLarge
    }

    private var line: [UInt8] = []
    /// The previous chunk ended with CR: an LF opening the next one belongs to that line ending.
    private var afterCR = false
    private var eventName: String?
    private var data: [UInt8] = []
    private var hasData = false
    private var lastID: String?

    init() {}

    /// Feeds the next piece of the stream and returns the events it completed, in order.
    mutating func feed(_ bytes: some Collection<UInt8>) throws(Failure) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                if byte == 0x0A, afterCR, index == start, line.isEmpty {
                    // The LF of a CRLF whose CR ended the previous line.
                    afterCR = false
                    index = bytes.index(after: index)
                    start = index
                    continue
                }
                line.append(contentsOf: bytes[start..<index])
                if let event = try processLine() { events.append(event) }
                line.removeAll(keepingCapacity: true)
                afterCR = byte == 0x0D
                index = bytes.index(after: index)
                start = index
                continue
            }
            afterCR = false
            index = bytes.index(after: index)
        }
        line.append(contentsOf: bytes[start..<bytes.endIndex])
        if !line.isEmpty { afterCR = false }
        guard line.count + data.count <= Self.maximumEventBytes else { throw .eventTooLarge }
        return events
    }

    /// The stream ended: an event without its closing blank line is incomplete and is dropped.
    mutating func finish() {
        line.removeAll()
        data.removeAll()
        hasData = false
        eventName = nil
        afterCR = false
    }

    private mutating func processLine() throws(Failure) -> ServerSentEvent? {
        if line.isEmpty { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = line[..<(colon ?? line.endIndex)]
        var valueStart = colon.map { $0 + 1 } ?? line.endIndex
        if valueStart < line.endIndex, line[valueStart] == 0x20 { valueStart += 1 }
        let value = line[valueStart...]
        if name.elementsEqual("data".utf8) {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
            guard data.count <= Self.maximumEventBytes else { throw .eventTooLarge }
        } else if name.elementsEqual("event".utf8) {
            eventName = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8), !value.contains(0) {
            lastID = String(decoding: value, as: UTF8.self)
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            eventName = nil
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return nil }
        let name = eventName.flatMap { $0.isEmpty ? nil : $0 }
        return ServerSentEvent(event: name, data: data, id: lastID)
    }
}
