/// What an S3 error answer means for the caller (`ObjectStoreError`), from the status and the `<Code>`
/// of the XML error document (absent for HEAD).
enum S3ErrorMapping {
    static func error(status: Int, body: [UInt8], key: String) -> ObjectStoreError {
        let code = S3XML.firstValue(of: "Code", in: body)
        let message = S3XML.firstValue(of: "Message", in: body)
        let detail = [code, message].compactMap { $0 }.joined(separator: ": ")
        let reason = "HTTP \(status)" + (detail.isEmpty ? "" : " \(detail)")
        switch (status, code) {
        case (404, "NoSuchBucket"), (404, "NoSuchUpload"): return .failed(reason)
        case (404, _): return .notFound(key: key)
        case (403, "RequestTimeTooSkewed"): return .transient(reason)  // the clock may be fixed by then
        case (401, _), (403, _): return .denied(reason)
        case (400, "ExpiredToken"), (400, "InvalidToken"): return .denied(reason)
        case (400, "RequestTimeout"), (408, _), (429, _): return .transient(reason)
        case (500..., _): return .transient(reason)
        default: return .failed(reason)
        }
    }
}
