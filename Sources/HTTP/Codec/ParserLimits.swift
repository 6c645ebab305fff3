/// The size limits the parser enforces while reading (DESIGN §2). Every limit is a named constant here so
/// operators and tests can find and change them in one place.
public struct ParserLimits: Sendable {
    /// Longest request-target; longer is 414.
    public var maxTargetBytes = 8 * 1024
    /// Largest header section (field lines, without the request line); larger is 431.
    public var maxHeaderBytes = 16 * 1024
    /// Most header fields; more is 431.
    public var maxHeaderCount = 100
    /// Largest trailer section of a chunked body; larger is 431.
    public var maxTrailerBytes = 8 * 1024
    /// Longest chunk-size line including ignored extensions; longer is 400.
    public var maxChunkLineBytes = 4 * 1024
    /// Longest method token; a longer one cannot be a method we implement (501).
    public var maxMethodBytes = 32

    public init() {}
}
