/// One server-sent event as an upstream sent it: the `event:` name (nil for the default `message`),
/// the `data:` lines joined with LF, and the `id:` when there was one.
struct ServerSentEvent: Sendable, Equatable {
    var event: String?
    /// Kept as octets: it is almost always JSON, parsed straight from these bytes.
    var data: [UInt8]
    var id: String?

    init(event: String? = nil, data: [UInt8], id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }

    /// Whether the data is exactly `[DONE]`, OpenAI's end-of-stream marker.
    var isDone: Bool { data.elementsEqual("[DONE]".utf8) }
}
