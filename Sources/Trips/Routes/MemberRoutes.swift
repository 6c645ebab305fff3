import Foundation
import HTTP
import Kernel

/// `/v1/trips/{id}/members…`, invitations, ownership transfer, and share links.
struct MemberRoutes {
    let service: TripService
    let idempotent: [any Middleware]

    func register(_ routes: inout Routes) {
        let s = service
        let tags = ["members"]
        typealias T = TripSchemas
        let member = T.object(
            [
                "user_id": T.uuid, "email": T.string, "display_name": T.string, "role": T.role,
                "status": T.enumeration(["active", "pending"]), "since": T.dateTime,
            ], required: ["email", "role", "status", "since"])
        routes.get(
            "/v1/trips/{id}/members",
            doc: RouteDoc(
                summary: "Members and pending invitations", tags: tags,
                responses: [ResponseDoc(200, "Members", schema: T.object(["data": T.array(member)])), T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(["data": try s.members(try request.tripID, p)])
        }
        routes.post(
            "/v1/trips/{id}/members", middleware: idempotent,
            doc: RouteDoc(
                summary: "Invite by e-mail (owner)",
                description:
                    "An existing account joins at once (`active`); an unknown address gets a `pending` invitation that attaches when it registers.",
                tags: tags, parameters: [T.idempotencyKey],
                requestBody: RequestBodyDoc(
                    schema: T.object(
                        ["email": T.string, "role": T.enumeration(["editor", "viewer"])], required: ["email", "role"])),
                responses: [
                    ResponseDoc(201, "Member or invitation", schema: member), T.invalid, T.forbidden, T.notFound,
                    .problem(409, "Already a member"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            return try .json(
                s.invite(try request.tripID, try request.decodeJSON(InviteInput.self), p), status: .created)
        }
        routes.patch(
            "/v1/trips/{id}/members/{uid}",
            doc: RouteDoc(
                summary: "Change a member's role (owner)", tags: tags,
                requestBody: RequestBodyDoc(
                    schema: T.object(["role": T.enumeration(["editor", "viewer"])], required: ["role"])),
                responses: [ResponseDoc(204, "Changed", contentType: nil), T.invalid, T.forbidden, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            try s.changeRole(
                try request.tripID, user: try Self.member(request, p), try request.decodeJSON(RoleInput.self), p)
            return .noContent
        }
        routes.delete(
            "/v1/trips/{id}/members/{uid}",
            doc: RouteDoc(
                summary: "Remove a member (owner), or leave (`me`)", tags: tags,
                responses: [
                    ResponseDoc(204, "Removed", contentType: nil), T.forbidden, T.notFound,
                    .problem(409, "The owner must transfer ownership before leaving"),
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            try s.removeMember(try request.tripID, user: try Self.member(request, p), p)
            return .noContent
        }
        routes.delete(
            "/v1/trips/{id}/invites/{email}",
            doc: RouteDoc(
                summary: "Cancel a pending invitation (owner)", tags: tags,
                responses: [ResponseDoc(204, "Cancelled", contentType: nil), T.forbidden, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let email = (request.parameters["email"] ?? "").removingPercentEncoding ?? ""
            try s.cancelInvite(try request.tripID, email: email, p)
            return .noContent
        }
        routes.post(
            "/v1/trips/{id}/transfer-ownership", middleware: idempotent,
            doc: RouteDoc(
                summary: "Hand the trip to another member (owner)",
                description: "The previous owner becomes an editor.",
                tags: tags, requestBody: RequestBodyDoc(schema: T.object(["user_id": T.uuid], required: ["user_id"])),
                responses: [ResponseDoc(204, "Transferred", contentType: nil), T.invalid, T.forbidden, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            try s.transferOwnership(try request.tripID, try request.decodeJSON(TransferInput.self), p)
            return .noContent
        }

        let link = T.object(
            [
                "id": T.uuid, "sections": T.array(T.enumeration(ShareSection.allCases.map(\.rawValue))),
                "expires_at": T.dateTime, "revoked_at": T.dateTime, "created_at": T.dateTime,
                "token": ["type": "string", "description": "Only in the creation answer"], "url": T.string,
                "page_url": ["type": "string", "description": "The share page for people (/s/{token})"],
            ], required: ["id", "sections", "created_at"])
        routes.post(
            "/v1/trips/{id}/share-links", middleware: idempotent,
            doc: RouteDoc(
                summary: "Create a share link (owner)", tags: ["sharing"], parameters: [T.idempotencyKey],
                requestBody: RequestBodyDoc(
                    schema: T.object(
                        [
                            "sections": T.array(T.enumeration(ShareSection.allCases.map(\.rawValue))),
                            "expires_at": T.dateTime,
                        ],
                        required: ["sections"])),
                responses: [
                    ResponseDoc(201, "The link, with its token shown once", schema: link), T.invalid, T.forbidden,
                    T.notFound,
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            return try .json(
                s.createShareLink(try request.tripID, try request.decodeJSON(ShareLinkInput.self), p), status: .created)
        }
        routes.get(
            "/v1/trips/{id}/share-links",
            doc: RouteDoc(
                summary: "List share links (owner)", tags: ["sharing"],
                responses: [
                    ResponseDoc(200, "Links", schema: T.object(["data": T.array(link)])), T.forbidden, T.notFound,
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(["data": try s.shareLinks(try request.tripID, p)])
        }
        routes.delete(
            "/v1/trips/{id}/share-links/{lid}",
            doc: RouteDoc(
                summary: "Revoke a share link (owner)", tags: ["sharing"],
                responses: [ResponseDoc(204, "Revoked", contentType: nil), T.forbidden, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            try s.revokeShareLink(try request.tripID, try request.uuid("lid", "share link"), p)
            return .noContent
        }
        routes.get(
            "/v1/shared/{token}",
            doc: RouteDoc(
                summary: "A shared trip, without authentication",
                description: "Only the sections the link grants; booking codes and member e-mails never appear.",
                tags: ["sharing"], parameters: [T.ifNoneMatch],
                responses: [
                    ResponseDoc(200, "The shared sections", schema: T.anyObject),
                    ResponseDoc(304, "Unchanged", contentType: nil),
                    .problem(404, "Unknown, revoked or expired link"),
                ])
        ) { request in
            let (etag, body) = try s.shared(request.parameters["token"] ?? "", ifNoneMatch: request.ifNoneMatch)
            return Response.cachedJSON(etag: etag, body: body)
        }
    }

    /// `me` or a user id.
    static func member(_ request: Request, _ p: Principal) throws -> UUID {
        if request.parameters["uid"] == "me" { return p.userID }
        return try request.uuid("uid", "member")
    }
}
