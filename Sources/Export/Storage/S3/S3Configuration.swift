/// How to reach an S3-compatible bucket (AWS S3, SeaweedFS, MinIO, R2…). Not yet read from the
/// environment: the Kernel config will fill it in when exports are wired. Its description leaves out the
/// secret key and session token, so logging a configuration leaks nothing.
public struct S3Configuration: Sendable, CustomStringConvertible {
    /// Where the bucket is addressed in the URL.
    public enum AddressingStyle: String, Sendable {
        /// `https://endpoint/bucket/key`: works with any host name, needed for local servers and
        /// buckets whose names contain dots.
        case path
        /// `https://bucket.endpoint/key`: what AWS expects for new buckets; needs DNS for the subdomain.
        case virtualHost
    }

    /// S3 refuses smaller parts, except the last.
    public static let minimumPartSize = 5 * 1024 * 1024
    /// S3's largest part.
    public static let maximumPartSize = 5 * 1024 * 1024 * 1024
    /// S3's most parts per upload.
    public static let maximumPartCount = 10_000

    /// `https://s3.eu-west-1.amazonaws.com` in production, `http://127.0.0.1:8333` for a local server;
    /// scheme, host and optional port only.
    public var endpoint: String
    public var region: String
    public var bucket: String
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Set with temporary credentials (STS, IRSA).
    public var sessionToken: String?
    public var addressingStyle: AddressingStyle
    /// Writers send objects up to this size in one PUT and switch to a multipart upload beyond it.
    public var multipartThreshold = 16 * 1024 * 1024
    /// Size of each multipart part but the last: `minimumPartSize…maximumPartSize`, ≤ the threshold.
    public var partSize = 8 * 1024 * 1024
    /// Deadline of each request (one part, not the whole upload).
    public var requestTimeout: Duration = .seconds(60)
    /// Largest object `get` reads into memory.
    public var maxObjectSizeInMemory = 64 * 1024 * 1024

    public init(
        endpoint: String, region: String, bucket: String, accessKeyID: String, secretAccessKey: String,
        sessionToken: String? = nil, addressingStyle: AddressingStyle = .virtualHost
    ) {
        self.endpoint = endpoint
        self.region = region
        self.bucket = bucket
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.addressingStyle = addressingStyle
    }

    public var description: String {
        "S3Configuration(endpoint: \(endpoint), region: \(region), bucket: \(bucket), accessKeyID: \(accessKeyID), "
            + "secretAccessKey: <redacted>, sessionToken: \(sessionToken == nil ? "none" : "<redacted>"), "
            + "addressingStyle: \(addressingStyle.rawValue), multipartThreshold: \(multipartThreshold), "
            + "partSize: \(partSize))"
    }

    /// Throws `invalidArgument` naming the first unusable setting (the endpoint is checked when parsed).
    func validate() throws(ObjectStoreError) {
        guard Self.isValidBucketName(bucket) else {
            throw .invalidArgument("bucket name \"\(bucket)\" is not 3–63 of a-z 0-9 . -")
        }
        if addressingStyle == .virtualHost, bucket.contains(".") {
            // A dotted subdomain does not match the endpoint's wildcard certificate.
            throw .invalidArgument("bucket names with dots need path-style addressing")
        }
        guard !region.isEmpty, region.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            throw .invalidArgument("region \"\(region)\" is empty or not printable ASCII")
        }
        guard !accessKeyID.isEmpty, !secretAccessKey.isEmpty else {
            throw .invalidArgument("access key id and secret access key are required")
        }
        guard (Self.minimumPartSize...Self.maximumPartSize).contains(partSize) else {
            throw .invalidArgument("part size must be 5 MiB…5 GiB")
        }
        guard multipartThreshold >= partSize else {
            throw .invalidArgument("multipart threshold must be at least the part size")
        }
    }

    private static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count), let first = bytes.first, let last = bytes.last else { return false }
        func alphanumeric(_ b: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
        }
        return alphanumeric(first) && alphanumeric(last)
            && bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }
}
