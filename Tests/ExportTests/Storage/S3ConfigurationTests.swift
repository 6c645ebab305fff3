import Testing

@testable import Export

extension ObjectStoreTests {
    /// The S3 pieces that need no server: configuration checks, URL construction for both addressing
    /// styles, error mapping and the XML scan.
    @Suite struct S3ConfigurationTests {
        static func configuration(
            endpoint: String = "https://s3.eu-west-1.amazonaws.com", bucket: String = "travelsense-exports",
            style: S3Configuration.AddressingStyle = .virtualHost
        ) -> S3Configuration {
            S3Configuration(
                endpoint: endpoint, region: "eu-west-1", bucket: bucket, accessKeyID: "AKIDEXAMPLE",
                secretAccessKey: "super-secret-value", sessionToken: "session-token-value", addressingStyle: style)
        }

        @Test func descriptionNeverShowsTheSecrets() {
            let text = "\(Self.configuration())"
            #expect(text.contains("AKIDEXAMPLE"))
            #expect(!text.contains("super-secret-value"))
            #expect(!text.contains("session-token-value"))
        }

        @Test func unusableConfigurationsAreRefused() {
            var smallParts = Self.configuration()
            smallParts.partSize = 1024 * 1024
            var lowThreshold = Self.configuration()
            lowThreshold.multipartThreshold = S3Configuration.minimumPartSize
            lowThreshold.partSize = S3Configuration.minimumPartSize + 1
            let bad = [
                smallParts, lowThreshold, Self.configuration(bucket: "Upper_Case"), Self.configuration(bucket: "ab"),
                Self.configuration(bucket: "with.dots"), Self.configuration(endpoint: "http://127.0.0.1:9000"),
                Self.configuration(endpoint: "ftp://s3.example"),
                Self.configuration(endpoint: "https://s3.example/path"),
            ]
            for configuration in bad {
                #expect(throws: ObjectStoreError.self, "\(configuration)") {
                    try S3ObjectStore(configuration: configuration)
                }
            }
            // Dots and IP endpoints are fine path-style.
            #expect(throws: Never.self) {
                try S3ObjectStore(
                    configuration: Self.configuration(
                        endpoint: "http://127.0.0.1:9000", bucket: "with.dots", style: .path))
            }
        }

        @Test func virtualHostPutsTheBucketInTheHostName() throws {
            let store = try S3ObjectStore(configuration: Self.configuration())
            let location = store.location(of: "exports/a b.pdf")
            #expect(location.host == "travelsense-exports.s3.eu-west-1.amazonaws.com")
            #expect(location.path == "/exports/a%20b.pdf")
            #expect(store.location(of: nil) == ("travelsense-exports.s3.eu-west-1.amazonaws.com", "/"))
            let request = try store.signedRequest(.get, key: "exports/a b.pdf")
            #expect(request.url.hostField == "travelsense-exports.s3.eu-west-1.amazonaws.com")
            #expect(request.url.scheme == .https)
            #expect(request.headers["x-amz-security-token"] == "session-token-value")
            #expect(
                request.headers["Authorization"]?.contains(
                    "Credential=AKIDEXAMPLE/") == true)
        }

        @Test func pathStyleKeepsTheEndpointHostAndPort() throws {
            let store = try S3ObjectStore(
                configuration: Self.configuration(endpoint: "http://127.0.0.1:9000", style: .path))
            #expect(store.location(of: "k/ü") == ("127.0.0.1:9000", "/travelsense-exports/k/%C3%BC"))
            let url = try store.presignedURL(
                method: .get, key: "k", query: [("response-content-disposition", "attachment")], expiresIn: 60,
                at: SigV4Timestamp(unixSeconds: 1_369_353_600))
            #expect(url.hasPrefix("http://127.0.0.1:9000/travelsense-exports/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
            let signature = url.split(separator: "&X-Amz-Signature=").last ?? ""
            #expect(url.contains("&response-content-disposition=attachment&X-Amz-Signature="))
            #expect(signature.count == 64 && signature.allSatisfy(\.isHexDigit))
        }

        @Test func downloadExpiryIsOneSecondToSevenDays() throws {
            let store = try S3ObjectStore(configuration: Self.configuration())
            for expiry in [Duration.seconds(0), .seconds(604_801)] {
                #expect(throws: ObjectStoreError.self) {
                    try store.downloadURL(key: "k", expiresIn: expiry, filename: "k.pdf", contentType: nil)
                }
            }
            let url = try store.downloadURL(
                key: "k", expiresIn: .seconds(604_800), filename: "k.pdf", contentType: "application/pdf")
            #expect(url.contains("X-Amz-Expires=604800&"))
            #expect(url.contains("response-content-type=application%2Fpdf"))
        }

        @Test func errorAnswersMapToRetryDecisions() {
            func body(_ code: String) -> [UInt8] {
                Array("<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>m &amp; n</Message></Error>".utf8)
            }
            #expect(S3ErrorMapping.error(status: 404, body: body("NoSuchKey"), key: "k") == .notFound(key: "k"))
            #expect(S3ErrorMapping.error(status: 404, body: [], key: "k") == .notFound(key: "k"))  // HEAD
            #expect(S3ErrorMapping.error(status: 404, body: body("NoSuchBucket"), key: "k").isTransient == false)
            #expect(
                S3ErrorMapping.error(status: 403, body: body("AccessDenied"), key: "k")
                    == .denied("HTTP 403 AccessDenied: m & n"))
            #expect(S3ErrorMapping.error(status: 503, body: body("SlowDown"), key: "k").isTransient)
            #expect(S3ErrorMapping.error(status: 500, body: body("InternalError"), key: "k").isTransient)
            #expect(S3ErrorMapping.error(status: 400, body: body("RequestTimeout"), key: "k").isTransient)
            #expect(!S3ErrorMapping.error(status: 400, body: body("InvalidArgument"), key: "k").isTransient)
        }

        @Test func xmlScanFindsEveryValueAndDecodesEntities() {
            let xml = Array("<R><UploadId>a&lt;b</UploadId><Key>x</Key><Key>y&amp;z</Key><Key>unterminated".utf8)
            #expect(S3XML.firstValue(of: "UploadId", in: xml) == "a<b")
            #expect(S3XML.values(of: "Key", in: xml) == ["x", "y&z"])
            #expect(S3XML.firstValue(of: "Code", in: xml) == nil)
            #expect(S3XML.escape("\"e&t<a>g\"") == "\"e&amp;t&lt;a&gt;g\"")
        }
    }
}
