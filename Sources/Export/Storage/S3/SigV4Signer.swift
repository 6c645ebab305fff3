import Crypto

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`) for S3-compatible stores: header authentication for
/// ordinary requests and query-string authentication for presigned URLs.
///
/// The steps are the ones in AWS's description, kept as separate functions so the tests can compare each
/// with the published examples: canonical request → string to sign → signing key (HMAC chain over day,
/// region, service, `aws4_request`) → signature. Callers pass the path already encoded with
/// `S3URIEncoding` (S3 signs the path as sent, without the double encoding other services use) and raw
/// query pairs, which are encoded here, so the URL sent and the URL signed are built from one string.
public struct SigV4Signer: Sendable {
    /// The payload hash presigned URLs use: the body of a GET made by a browser is not known when signing.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// Longest validity S3 accepts for a presigned URL: seven days.
    public static let maxPresignedExpiry = 604_800
    static let algorithm = "AWS4-HMAC-SHA256"

    public let accessKeyID: String
    private let secretAccessKey: String
    /// Temporary credentials' token (STS, IRSA); sent as `x-amz-security-token` and signed.
    public let sessionToken: String?
    public let region: String
    public let service: String

    public init(
        accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, region: String,
        service: String = "s3"
    ) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.region = region
        self.service = service
    }

    // MARK: - Header authentication

    /// The fields to add to a request: `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token`
    /// (with a session token) and `Authorization`. `headers` must contain `host` as it will be sent;
    /// every field in it is signed.
    public func authorizationHeaders(
        method: String, path: String, query: [(String, String)], headers: [(String, String)],
        payloadHash: String, at time: SigV4Timestamp
    ) throws(CryptoError) -> [(name: String, value: String)] {
        var added: [(name: String, value: String)] = [
            ("x-amz-date", time.amzDate), ("x-amz-content-sha256", payloadHash),
        ]
        if let sessionToken { added.append(("x-amz-security-token", sessionToken)) }
        let all = headers + added.map { ($0.name, $0.value) }
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(all)
        let request = Self.canonicalRequest(
            method: method, path: path, canonicalQuery: Self.canonicalQuery(query),
            canonicalHeaders: canonicalHeaders, signedHeaders: signedHeaders, payloadHash: payloadHash)
        let signature = try signature(for: request, at: time)
        added.append(
            (
                "Authorization",
                "\(Self.algorithm) Credential=\(accessKeyID)/\(scope(time)),SignedHeaders=\(signedHeaders),"
                    + "Signature=\(signature)"
            ))
        return added
    }

    // MARK: - Query-string authentication (presigned URLs)

    /// The complete query string of a presigned URL: `query` plus the `X-Amz-*` parameters and the
    /// signature, encoded and in canonical order. Only `host` is signed, and the payload is
    /// `UNSIGNED-PAYLOAD`, so any client holding the URL can use it until `expiresIn` seconds after `time`.
    public func presignedQuery(
        method: String, path: String, host: String, query: [(String, String)], expiresIn: Int,
        at time: SigV4Timestamp
    ) throws(CryptoError) -> String {
        guard (1...Self.maxPresignedExpiry).contains(expiresIn) else {
            throw .invalidParameter("X-Amz-Expires must be 1…\(Self.maxPresignedExpiry) seconds")
        }
        var parameters = query
        parameters.append(("X-Amz-Algorithm", Self.algorithm))
        parameters.append(("X-Amz-Credential", "\(accessKeyID)/\(scope(time))"))
        parameters.append(("X-Amz-Date", time.amzDate))
        parameters.append(("X-Amz-Expires", String(expiresIn)))
        if let sessionToken { parameters.append(("X-Amz-Security-Token", sessionToken)) }
        parameters.append(("X-Amz-SignedHeaders", "host"))
        let canonicalQuery = Self.canonicalQuery(parameters)
        let request = Self.canonicalRequest(
            method: method, path: path, canonicalQuery: canonicalQuery, canonicalHeaders: "host:\(host)\n",
            signedHeaders: "host", payloadHash: Self.unsignedPayload)
        let signature = try signature(for: request, at: time)
        return canonicalQuery + "&X-Amz-Signature=" + signature
    }

    // MARK: - The algorithm's steps

    /// `day/region/service/aws4_request`.
    func scope(_ time: SigV4Timestamp) -> String { "\(time.day)/\(region)/\(service)/aws4_request" }

    /// Hex HMAC of the string to sign under the day's signing key.
    func signature(for canonicalRequest: String, at time: SigV4Timestamp) throws(CryptoError) -> String {
        let text = try stringToSign(canonicalRequest: canonicalRequest, at: time)
        return Hex.encode(
            try HMAC.authenticationCode(for: Array(text.utf8), key: signingKey(day: time.day), using: .sha256))
    }

    func stringToSign(canonicalRequest: String, at time: SigV4Timestamp) throws(CryptoError) -> String {
        let hash = try SHA256.hexHash(Array(canonicalRequest.utf8))
        return "\(Self.algorithm)\n\(time.amzDate)\n\(scope(time))\n\(hash)"
    }

    /// HMAC chain `AWS4<secret>` → day → region → service → `aws4_request`: the secret itself never
    /// signs a request, and the derived key is only good for that day, region and service.
    func signingKey(day: String) throws(CryptoError) -> [UInt8] {
        var key = Array("AWS4\(secretAccessKey)".utf8)
        for part in [day, region, service, "aws4_request"] {
            key = try HMAC.authenticationCode(for: Array(part.utf8), key: key, using: .sha256)
        }
        return key
    }

    static func canonicalRequest(
        method: String, path: String, canonicalQuery: String, canonicalHeaders: String, signedHeaders: String,
        payloadHash: String
    ) -> String {
        "\(method)\n\(path)\n\(canonicalQuery)\n\(canonicalHeaders)\n\(signedHeaders)\n\(payloadHash)"
    }

    /// Names and values encoded, sorted by encoded name then value (byte order), joined with `&`;
    /// an empty value keeps its `=` (`uploads=`).
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (S3URIEncoding.encode($0.0), S3URIEncoding.encode($0.1)) }
            .sorted {
                $0.0 == $1.0
                    ? Array($0.1.utf8).lexicographicallyPrecedes($1.1.utf8)
                    : Array($0.0.utf8).lexicographicallyPrecedes($1.0.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lower-cased names sorted, values trimmed with inner runs of spaces collapsed, repeated names
    /// joined with commas; returns the block (each line ending in `\n`) and the `;`-joined name list.
    static func canonicalHeaders(_ headers: [(String, String)]) -> (block: String, signed: String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            merged[name.lowercased(), default: []].append(normalise(value))
        }
        let names = merged.keys.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        let block = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    private static func normalise(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
