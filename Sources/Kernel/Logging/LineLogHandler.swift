import Logging

/// The swift-log handler: one line per event (JSON or text, see `LogLineEncoder`) into a `LogSink`.
///
/// A value type as swift-log requires: level and metadata changes on one `Logger` do not affect others.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let encoder: LogLineEncoder
    private let sink: LogSink

    public init(
        label: String, level: Logger.Level = .info, format: LogFormat = .json, sink: LogSink = .standardOutput,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.logLevel = level
        self.encoder = LogLineEncoder(format: format)
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Later sources win: the handler's own metadata, then the provider's, then the call site's.
        // The common case (only call-site metadata) skips the merge: it copies a whole dictionary.
        var merged: Logger.Metadata
        let provided = metadataProvider?.get() ?? [:]
        if metadata.isEmpty, provided.isEmpty {
            merged = event.metadata ?? [:]
        } else {
            merged = metadata
            merged.merge(provided) { $1 }
            if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        }
        if let error = event.error, merged["error"] == nil { merged["error"] = .string(String(describing: error)) }
        sink.append(
            encoder.encode(
                millis: LogTimestamp.nowMilliseconds(), level: event.level, label: label,
                message: event.message.description, metadata: merged))
    }
}
