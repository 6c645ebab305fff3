import Foundation
import HTTP
import Kernel

/// `GET /v1/downloads/exports/{id}?expires=…&filename=…&sig=…`: the local store's signed download links.
/// The link is the credential (like a presigned S3 URL), checked in constant time; a tampered or expired
/// link is 403, a deleted object 404. The body streams from disk in chunks.
struct DownloadRoutes {
    let store: LocalObjectStore

    static let refused = HTTPError(.forbidden, detail: "This download link is invalid or has expired.")

    func register(_ routes: inout Routes) {
        let store = self.store
        routes.get(
            "/v1/downloads/exports/{id}",
            doc: RouteDoc(
                summary: "Download a stored export (signed link from GET /v1/exports/{id})", tags: ["exports"],
                responses: [
                    ResponseDoc(200, "The file", contentType: "application/octet-stream", schema: ["type": "string"]),
                    .problem(403, "Invalid or expired link"), .problem(404, "The export is gone"),
                ])
        ) { request in
            guard let id = request.parameters["id"].flatMap(UUID.init(uuidString:)),
                let expires = request.queryValue("expires").flatMap(Int.init),
                let filename = request.queryValue("filename"), let signature = request.queryValue("sig")
            else { throw Self.refused }
            let key = ExportService.objectKey(id.uuidString.lowercased())
            guard store.verify(key: key, expires: expires, filename: filename, signature: signature) else {
                throw Self.refused
            }
            guard let reader = try store.open(key: key) else {
                throw HTTPError(.notFound, detail: "This export has expired or was deleted.")
            }
            var headers = HTTPFields()
            headers.append(.contentType, reader.info.contentType)
            headers.append("Content-Disposition", ContentDisposition.attachment(filename: filename))
            headers.append(.cacheControl, "private, no-store")
            return Response(
                status: .ok, headers: headers,
                body: .stream(
                    BodyStream(contentLength: reader.info.size) { writer in
                        try reader.forEachChunk { try writer.write($0) }
                    }))
        }
    }
}
