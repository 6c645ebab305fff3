import Foundation

/// Where exports are stored and for how long (the Export module). The embedded default is a local
/// directory; setting `S3_BUCKET` (or `EXPORT_STORE=s3`) selects an S3-compatible store.
public struct ExportSettings: Sendable {
    public enum Store: String, Sendable {
        case local, s3
    }

    public var store = Store.local
    /// The local store's directory; `travelsense dev` puts it inside its data directory.
    public var directory = "exports"
    /// Days a stored export lives before the daily cleanup deletes it and its object.
    public var retentionDays = 7
    /// How long a `download_url` works once handed out.
    public var downloadTTL: Duration = .seconds(900)
    public var s3Endpoint: String?
    public var s3Region = "us-east-1"
    public var s3Bucket: String?
    public var s3AccessKeyID: String?
    public var s3SecretAccessKey: String?
    /// Path-style (`endpoint/bucket/key`, MinIO and SeaweedFS) or virtual-host (`bucket.endpoint/key`, AWS).
    public var s3PathStyle = false

    public init() {}

    static func load(from env: inout Environment) -> ExportSettings {
        var x = ExportSettings()
        x.s3Endpoint = env.url("S3_ENDPOINT", schemes: ["http", "https"])
        x.s3Bucket = env.string("S3_BUCKET")
        if let bucket = x.s3Bucket, !isBucketName(bucket) {
            env.problem("S3_BUCKET", "must be an S3 bucket name (3–63 of a-z, 0-9, '.', '-')")
        }
        let defaultStore: Store = x.s3Bucket == nil ? .local : .s3
        x.store = env.choice("EXPORT_STORE", default: defaultStore, options: ["local": .local, "s3": .s3])
        x.directory = env.string("EXPORT_DIR", default: x.directory)
        if x.directory.isEmpty
            || x.directory.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            env.problem("EXPORT_DIR", "must be a directory path")
        }
        x.retentionDays = env.int("EXPORT_RETENTION_DAYS", default: x.retentionDays, in: 1...3650)
        x.downloadTTL = env.seconds("EXPORT_DOWNLOAD_TTL", default: x.downloadTTL, in: 10...604_800)
        x.s3Region = env.string("S3_REGION", default: x.s3Region)
        if !x.s3Region.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) || x.s3Region.isEmpty
        {
            env.problem("S3_REGION", "must be a region name like eu-central-1")
        }
        x.s3AccessKeyID = env.string("S3_ACCESS_KEY_ID")
        x.s3SecretAccessKey = env.string("S3_SECRET_ACCESS_KEY")
        for (name, value) in [("S3_ACCESS_KEY_ID", x.s3AccessKeyID), ("S3_SECRET_ACCESS_KEY", x.s3SecretAccessKey)] {
            // Never echo the value: the secret key is a secret.
            if let value, value.isEmpty || value.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value > 0x7E })
            {
                env.problem(name, "must be printable ASCII without spaces")
            }
        }
        x.s3PathStyle = env.choice("S3_ADDRESSING", default: false, options: ["virtual": false, "path": true])
        if x.store == .s3 {
            for (name, value) in [
                ("S3_ENDPOINT", x.s3Endpoint), ("S3_BUCKET", x.s3Bucket), ("S3_ACCESS_KEY_ID", x.s3AccessKeyID),
                ("S3_SECRET_ACCESS_KEY", x.s3SecretAccessKey),
            ] where value == nil {
                env.problem(name, "is required when exports go to S3 (EXPORT_STORE=s3 or S3_BUCKET set)")
            }
        }
        return x
    }

    static func isBucketName(_ name: String) -> Bool {
        (3...63).contains(name.count)
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
    }
}
