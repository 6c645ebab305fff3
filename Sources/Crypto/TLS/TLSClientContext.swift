internal import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A configured OpenSSL client context (`SSL_CTX`): the trust store, protocol floor and verification mode.
///
/// Building one reads the CA file, so a client that opens many connections (the HTTP client's pool)
/// builds it once and hands it to every `TLSStream`; one-off users can pass a configuration instead.
public final class TLSClientContext: @unchecked Sendable {
    // @unchecked: the SSL_CTX is fully configured in init and never mutated afterwards; OpenSSL allows
    // SSL_new on a shared, unchanging SSL_CTX from any number of threads.
    let pointer: OpaquePointer
    /// The configuration this context was built from.
    public let configuration: TLSClientConfiguration

    /// Builds the context. Throws `tlsConfiguration` when the CA file cannot be read or holds no certificate.
    public init(configuration: TLSClientConfiguration = TLSClientConfiguration()) throws(CryptoError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw OpenSSLCall.failure("SSL_CTX_new") }
        do {
            try Self.configure(context, configuration)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.pointer = context
        self.configuration = configuration
    }

    deinit { SSL_CTX_free(pointer) }

    private static func configure(
        _ context: OpaquePointer, _ configuration: TLSClientConfiguration
    )
        throws(CryptoError)
    {
        let floor = configuration.minimumVersion == .v1_3 ? TLS1_3_VERSION : TLS1_2_VERSION
        // SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl, which Swift cannot import.
        guard SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(floor), nil) == 1 else {
            throw OpenSSLCall.failure("SSL_CTX_set_min_proto_version")
        }
        guard configuration.verifyPeer else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
            return
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        if configuration.caFile != nil, configuration.keepsSystemTrust {
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw .tlsConfiguration("the system trust store could not be loaded")
            }
        }
        if let caFile = configuration.caFile {
            // access() first so a typo in the path gets a plain message instead of a PEM library error.
            guard !caFile.isEmpty, access(caFile, R_OK) == 0 else {
                throw .tlsConfiguration("CA file \(caFile) is not readable")
            }
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                let reason = OpenSSLCall.failure("load").description
                throw .tlsConfiguration("CA file \(caFile) holds no usable PEM certificate (\(reason))")
            }
        } else {
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw .tlsConfiguration("the system trust store could not be loaded")
            }
        }
    }
}
