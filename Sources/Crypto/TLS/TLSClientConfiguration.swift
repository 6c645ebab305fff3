/// The lowest TLS version a client accepts. Nothing older than TLS 1.2 is offered at all.
public enum TLSVersion: Sendable, Equatable, CustomStringConvertible {
    case v1_2
    case v1_3

    public var description: String {
        switch self {
        case .v1_2: "TLSv1.2"
        case .v1_3: "TLSv1.3"
        }
    }
}

/// How a TLS client verifies the server it talks to.
///
/// The defaults are the safe ones: the peer's chain must verify against the system trust store and
/// its certificate must name the host we meant to reach.
public struct TLSClientConfiguration: Sendable, Equatable {
    /// A PEM file of trusted CA certificates that *replaces* the system trust store, for services
    /// behind a private CA (and for tests), unless `keepsSystemTrust`. `nil` trusts the system store.
    public var caFile: String?
    /// Whether `caFile` is trusted *besides* the system store instead of replacing it: a client that
    /// reaches both public services and a private gateway through one context needs both.
    public var keepsSystemTrust: Bool
    /// Whether to verify the chain and host name. `false` accepts any certificate, so it protects
    /// against passive eavesdroppers only; never turn it off for a server on another machine.
    public var verifyPeer: Bool
    /// The lowest protocol version accepted.
    public var minimumVersion: TLSVersion

    public init(
        caFile: String? = nil, verifyPeer: Bool = true, minimumVersion: TLSVersion = .v1_2,
        keepsSystemTrust: Bool = false
    ) {
        self.caFile = caFile
        self.keepsSystemTrust = keepsSystemTrust
        self.verifyPeer = verifyPeer
        self.minimumVersion = minimumVersion
    }
}
