import HTTP
import Kernel
import Trips

/// `GET /s/{token}`: the share page. Public (the token is the credential); revalidated by ETag.
struct SharePageRoutes {
    let trips: TripService

    /// The headers every share page carries: nothing may load or frame it, no referrer leaks the
    /// token to the sites its links lead to, and a shared device must not keep it.
    static func headers(etag: String?) -> HTTPFields {
        var h = HTTPFields()
        h.set(.contentType, "text/html; charset=utf-8")
        h.append("Content-Security-Policy", SharePage.contentSecurityPolicy)
        h.append("Referrer-Policy", "no-referrer")
        h.append("X-Frame-Options", "DENY")
        h.append("Cross-Origin-Opener-Policy", "same-origin")
        h.append("Permissions-Policy", "interest-cohort=(), geolocation=(), camera=(), microphone=()")
        h.append(.cacheControl, "private, no-cache")
        if let etag { h.append(.etag, etag) }
        return h
    }

    func register(_ routes: inout Routes) {
        routes.get(
            "/s/{token}",
            doc: RouteDoc(
                summary: "A shared trip as a web page",
                description:
                    "The sections the share link grants, as self-contained HTML (no scripts, fonts or images). "
                    + "Booking codes and member e-mails never appear.",
                tags: ["sharing"],
                responses: [
                    ResponseDoc(200, "The page", contentType: "text/html", schema: ["type": "string"]),
                    ResponseDoc(304, "Unchanged", contentType: nil),
                    ResponseDoc(
                        404, "Unknown, revoked or expired link", contentType: "text/html", schema: ["type": "string"]),
                ])
        ) { request in
            let shared: (etag: String, view: SharedTripView?)
            do {
                shared = try trips.sharedTrip(request.parameters["token"] ?? "", ifNoneMatch: request.ifNoneMatch)
            } catch let error as HTTPError where error.status == .notFound {
                return Response(
                    status: .notFound, headers: Self.headers(etag: nil), body: .bytes(Array(SharePage.notFound().utf8)))
            }
            guard let view = shared.view else {
                return Response(status: .notModified, headers: Self.headers(etag: shared.etag))
            }
            return Response(
                status: .ok, headers: Self.headers(etag: shared.etag), body: .bytes(Array(SharePage.render(view).utf8)))
        }
    }
}
