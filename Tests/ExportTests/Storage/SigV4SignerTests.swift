import Crypto
import Testing

@testable import Export

extension ObjectStoreTests {
    /// AWS's published SigV4 examples for S3 ("Signature Calculations for the Authorization Header" and
    /// "Query String Authentication"): example credentials, `examplebucket`, 2013-05-24T00:00:00Z, us-east-1.
    /// Each case recomputes the documented signature with our signer.
    @Suite struct SigV4SignerTests {
        static let signer = SigV4Signer(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "us-east-1")
        /// 2013-05-24T00:00:00Z.
        static let time = SigV4Timestamp(unixSeconds: 1_369_353_600)
        static let host = ("host", "examplebucket.s3.amazonaws.com")
        static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

        @Test func timestampIsFormattedInUTC() {
            #expect(Self.time.amzDate == "20130524T000000Z")
            #expect(Self.time.day == "20130524")
            #expect(SigV4Timestamp(unixSeconds: 1_700_000_000).amzDate == "20231114T221320Z")
        }

        @Test func getObjectMatchesTheDocumentedCanonicalRequestAndSignature() throws {
            let (headers, signed) = SigV4Signer.canonicalHeaders([
                Self.host, ("Range", "bytes=0-9"), ("x-amz-content-sha256", Self.emptyHash),
                ("x-amz-date", "20130524T000000Z"),
            ])
            let request = SigV4Signer.canonicalRequest(
                method: "GET", path: "/test.txt", canonicalQuery: "", canonicalHeaders: headers, signedHeaders: signed,
                payloadHash: Self.emptyHash)
            #expect(
                request == """
                    GET
                    /test.txt

                    host:examplebucket.s3.amazonaws.com
                    range:bytes=0-9
                    x-amz-content-sha256:\(Self.emptyHash)
                    x-amz-date:20130524T000000Z

                    host;range;x-amz-content-sha256;x-amz-date
                    \(Self.emptyHash)
                    """)
            let stringToSign = try Self.signer.stringToSign(canonicalRequest: request, at: Self.time)
            #expect(stringToSign.hasSuffix("\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"))

            let fields = try Self.signer.authorizationHeaders(
                method: "GET", path: "/test.txt", query: [], headers: [Self.host, ("Range", "bytes=0-9")],
                payloadHash: Self.emptyHash, at: Self.time)
            #expect(
                fields.first { $0.name == "Authorization" }?.value
                    == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                    + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                    + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
            #expect(fields.first { $0.name == "x-amz-date" }?.value == "20130524T000000Z")
            #expect(!fields.contains { $0.name == "x-amz-security-token" })
        }

        @Test func putObjectEncodesTheDollarAndSignsThePayloadHash() throws {
            let body = Array("Welcome to Amazon S3.".utf8)
            let payloadHash = try SHA256.hexHash(body)
            #expect(payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
            let path = "/" + S3URIEncoding.encodePath("test$file.text")
            #expect(path == "/test%24file.text")
            let fields = try Self.signer.authorizationHeaders(
                method: "PUT", path: path, query: [],
                headers: [
                    ("Date", "Fri, 24 May 2013 00:00:00 GMT"), Self.host, ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ],
                payloadHash: payloadHash, at: Self.time)
            let authorization = fields.first { $0.name == "Authorization" }?.value ?? ""
            #expect(
                authorization.contains("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"))
            #expect(
                authorization.hasSuffix("Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))
        }

        @Test func queryParametersAreEncodedAndSortedLikeTheDocumentedListObjects() throws {
            #expect(SigV4Signer.canonicalQuery([("prefix", "J"), ("max-keys", "2")]) == "max-keys=2&prefix=J")
            #expect(SigV4Signer.canonicalQuery([("lifecycle", "")]) == "lifecycle=")
            let fields = try Self.signer.authorizationHeaders(
                method: "GET", path: "/", query: [("prefix", "J"), ("max-keys", "2")], headers: [Self.host],
                payloadHash: Self.emptyHash, at: Self.time)
            #expect(
                fields.first { $0.name == "Authorization" }?.value.hasSuffix(
                    "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") == true)
        }

        @Test func presignedGetMatchesTheDocumentedURL() throws {
            let query = try Self.signer.presignedQuery(
                method: "GET", path: "/test.txt", host: "examplebucket.s3.amazonaws.com", query: [], expiresIn: 86400,
                at: Self.time)
            #expect(
                query == "X-Amz-Algorithm=AWS4-HMAC-SHA256"
                    + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                    + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                    + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        }

        @Test func presignedExpiryIsBoundedBySevenDays() {
            #expect(throws: CryptoError.self) {
                try Self.signer.presignedQuery(
                    method: "GET", path: "/a", host: "h", query: [], expiresIn: 604_801, at: Self.time)
            }
            #expect(throws: CryptoError.self) {
                try Self.signer.presignedQuery(
                    method: "GET", path: "/a", host: "h", query: [], expiresIn: 0, at: Self.time)
            }
        }

        @Test func sessionTokenIsSentAndSigned() throws {
            let signer = SigV4Signer(
                accessKeyID: "AKID", secretAccessKey: "secret", sessionToken: "tok/en=", region: "eu-west-1")
            let fields = try signer.authorizationHeaders(
                method: "GET", path: "/", query: [], headers: [Self.host], payloadHash: Self.emptyHash, at: Self.time)
            #expect(fields.first { $0.name == "x-amz-security-token" }?.value == "tok/en=")
            #expect(
                fields.first { $0.name == "Authorization" }?.value.contains("x-amz-date;x-amz-security-token,") == true)
            let query = try signer.presignedQuery(
                method: "GET", path: "/k", host: "h", query: [], expiresIn: 60, at: Self.time)
            #expect(query.contains("&X-Amz-Security-Token=tok%2Fen%3D&"))
        }

        @Test func uriEncodingKeepsOnlyUnreservedCharacters() {
            #expect(S3URIEncoding.encode("a b+c/~._-é") == "a%20b%2Bc%2F~._-%C3%A9")
            #expect(S3URIEncoding.encodePath("exports/2026 trip/Ré*.pdf") == "exports/2026%20trip/R%C3%A9%2A.pdf")
        }
    }
}
