import Crypto
import HTTP
import HTTPClient

/// An `ObjectStore` on an S3-compatible bucket, speaking the REST API with SigV4 over our `HTTPClient`.
///
/// Small objects go up in one `PutObject`; writers switch to a multipart upload past
/// `multipartThreshold` (see `S3MultipartWriter`). Downloads are presigned `GetObject` URLs that carry
/// `response-content-disposition`, so the browser saves the file under its export name.
///
/// Every field is immutable and `HTTPClient` is thread-safe, so one store serves all job threads.
public final class S3ObjectStore: ObjectStore {
    public let configuration: S3Configuration
    let signer: SigV4Signer
    let client: HTTPClient
    private let endpoint: URLParts

    /// Throws `invalidArgument` for an unusable configuration (bucket name, part sizes, endpoint URL).
    public init(configuration: S3Configuration, client: HTTPClient? = nil) throws(ObjectStoreError) {
        try configuration.validate()
        let endpoint: URLParts
        do { endpoint = try URLParts(parsing: configuration.endpoint) } catch {
            throw .invalidArgument("S3 endpoint: \(error)")
        }
        guard endpoint.target == "/" else { throw .invalidArgument("S3 endpoint must not have a path or query") }
        if configuration.addressingStyle == .virtualHost, endpoint.isIPv6Literal || Self.isIPv4(endpoint.host) {
            throw .invalidArgument("virtual-host addressing needs a host name endpoint, not an IP address")
        }
        self.configuration = configuration
        self.endpoint = endpoint
        self.signer = SigV4Signer(
            accessKeyID: configuration.accessKeyID, secretAccessKey: configuration.secretAccessKey,
            sessionToken: configuration.sessionToken, region: configuration.region)
        if let client {
            self.client = client
        } else {
            var clientConfiguration = HTTPClientConfiguration()
            clientConfiguration.timeout = configuration.requestTimeout
            clientConfiguration.maxResponseBodyBytes = configuration.maxObjectSizeInMemory
            do { self.client = try HTTPClient(configuration: clientConfiguration) } catch {
                throw .failed("HTTP client: \(error)")
            }
        }
    }

    // MARK: - ObjectStore

    public func put(key: String, body: [UInt8], contentType: String) throws(ObjectStoreError) {
        try ObjectKey.validate(key)
        try ContentTypeRule.validate(contentType)
        let response = try send(.put, key: key, headers: [("Content-Type", contentType)], body: body)
        try expectSuccess(response, key: key)
    }

    public func makeWriter(key: String, contentType: String) throws(ObjectStoreError) -> any ObjectWriter {
        try ObjectKey.validate(key)
        try ContentTypeRule.validate(contentType)
        return S3MultipartWriter(store: self, key: key, contentType: contentType)
    }

    public func get(key: String) throws(ObjectStoreError) -> StoredObject {
        try ObjectKey.validate(key)
        let response = try send(.get, key: key)
        try expectSuccess(response, key: key)
        return StoredObject(body: response.body, info: info(from: response.headers, size: response.body.count))
    }

    public func head(key: String) throws(ObjectStoreError) -> ObjectInfo {
        try ObjectKey.validate(key)
        let response = try send(.head, key: key)
        try expectSuccess(response, key: key)
        let size = response.headers[.contentLength].flatMap { Int($0) } ?? 0
        return info(from: response.headers, size: size)
    }

    public func delete(key: String) throws(ObjectStoreError) {
        try ObjectKey.validate(key)
        let response = try send(.delete, key: key)
        if response.status.code == 404 { return }  // already gone: S3 says 204, some servers 404
        try expectSuccess(response, key: key)
    }

    public func downloadURL(
        key: String, expiresIn: Duration, filename: String, contentType: String?
    ) throws(ObjectStoreError) -> String {
        try ObjectKey.validate(key)
        try ContentDisposition.validate(filename: filename)
        let seconds = Int(expiresIn.components.seconds)
        guard (1...SigV4Signer.maxPresignedExpiry).contains(seconds) else {
            throw .invalidArgument("download URL expiry must be 1 s…7 days")
        }
        var query = [("response-content-disposition", ContentDisposition.attachment(filename: filename))]
        if let contentType {
            try ContentTypeRule.validate(contentType)
            query.append(("response-content-type", contentType))
        }
        return try presignedURL(method: .get, key: key, query: query, expiresIn: seconds, at: .now())
    }

    /// Creates the bucket; succeeds when it already exists and is ours. For the embedded setups and
    /// tests that start an empty server; production buckets are made by infrastructure code.
    public func createBucket() throws(ObjectStoreError) {
        var body: [UInt8] = []
        if configuration.region != "us-east-1" {
            // Outside us-east-1 AWS wants the region repeated in the body.
            body = Array(
                ("<CreateBucketConfiguration><LocationConstraint>\(S3XML.escape(configuration.region))"
                    + "</LocationConstraint></CreateBucketConfiguration>").utf8)
        }
        let response = try send(.put, key: nil, body: body)
        if response.status.code == 409, S3XML.firstValue(of: "Code", in: response.body) == "BucketAlreadyOwnedByYou" {
            return
        }
        try expectSuccess(response, key: configuration.bucket)
    }

    // MARK: - Requests

    /// A signed request for the bucket (`key` nil) or an object. Internal so the tests can send it with
    /// another client (curl) when the virtual host name does not resolve here.
    func signedRequest(
        _ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: [UInt8] = [], at time: SigV4Timestamp = .now()
    ) throws(ObjectStoreError) -> HTTPClientRequest {
        let (host, path) = location(of: key)
        let payloadHash: String
        let authorization: [(name: String, value: String)]
        do {
            payloadHash = try SHA256.hexHash(body)
            authorization = try signer.authorizationHeaders(
                method: method.description, path: path, query: query, headers: headers + [("host", host)],
                payloadHash: payloadHash, at: time)
        } catch {
            throw .failed("signing: \(error)")
        }
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(HTTPFieldName(name), value) }
        for (name, value) in authorization { fields.append(HTTPFieldName(name), value) }
        let canonicalQuery = SigV4Signer.canonicalQuery(query)
        let url = "\(endpoint.scheme.rawValue)://\(host)\(path)" + (canonicalQuery.isEmpty ? "" : "?\(canonicalQuery)")
        do {
            return try HTTPClientRequest(method: method, url: url, headers: fields, body: body)
        } catch {
            throw .failed("request URL: \(error)")
        }
    }

    func presignedURL(
        method: HTTPMethod, key: String, query: [(String, String)], expiresIn: Int, at time: SigV4Timestamp
    ) throws(ObjectStoreError) -> String {
        let (host, path) = location(of: key)
        do {
            let signedQuery = try signer.presignedQuery(
                method: method.description, path: path, host: host, query: query, expiresIn: expiresIn, at: time)
            return "\(endpoint.scheme.rawValue)://\(host)\(path)?\(signedQuery)"
        } catch {
            throw .invalidArgument("presigning: \(error)")
        }
    }

    /// Sends a signed request and maps transport failures: retryable ones to `transient`.
    func send(
        _ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: [UInt8] = []
    ) throws(ObjectStoreError) -> HTTPClientResponse {
        let request = try signedRequest(method, key: key, query: query, headers: headers, body: body)
        do {
            return try client.execute(request)
        } catch {
            if error.isTransient { throw .transient("\(method) \(key ?? configuration.bucket): \(error)") }
            throw .failed("\(method) \(key ?? configuration.bucket): \(error)")
        }
    }

    /// The `Host` value and the encoded path for the bucket or one of its objects.
    func location(of key: String?) -> (host: String, path: String) {
        let objectPath = key.map { "/" + S3URIEncoding.encodePath($0) }
        switch configuration.addressingStyle {
        case .path:
            return (endpoint.hostField, "/\(configuration.bucket)" + (objectPath ?? ""))
        case .virtualHost:
            let name = "\(configuration.bucket).\(endpoint.host)"
            let host = endpoint.port == endpoint.scheme.defaultPort ? name : "\(name):\(endpoint.port)"
            return (host, objectPath ?? "/")
        }
    }

    /// Throws the `ObjectStoreError` a non-2xx answer means (S3's error `Code` inside when there is a body).
    func expectSuccess(_ response: HTTPClientResponse, key: String) throws(ObjectStoreError) {
        let status = response.status.code
        guard !(200..<300).contains(status) else { return }
        throw S3ErrorMapping.error(status: status, body: response.body, key: key)
    }

    private func info(from headers: HTTPFields, size: Int) -> ObjectInfo {
        ObjectInfo(
            size: size, contentType: headers[.contentType] ?? "application/octet-stream", etag: headers[.etag])
    }

    private static func isIPv4(_ host: String) -> Bool {
        host.utf8.allSatisfy { $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
