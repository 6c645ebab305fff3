import Foundation
import HTTP
import Kernel

/// `/v1/trips/{id}/expenses…` and `/balances`.
struct ExpenseRoutes {
    let service: TripService
    let idempotent: [any Middleware]

    func register(_ routes: inout Routes) {
        let s = service
        let tags = ["expenses"]
        typealias T = TripSchemas
        let member = T.object(["user_id": T.uuid, "shares": T.integer, "amount": T.integer], required: ["user_id"])
        let split = T.object(
            [
                "type": T.enumeration(["equal", "shares", "exact"]),
                "among": T.array(["oneOf": [T.uuid, member]]),
            ], required: ["type", "among"])
        let input = T.object(
            [
                "description": T.string, "amount": ["type": "integer", "description": "Minor units"],
                "currency": T.currency,
                "rate": [
                    "type": ["string", "number"],
                    "description": "Trip-currency units per unit of `currency`; required when they differ",
                ],
                "paid_by": T.uuid, "split": split, "category": T.enumeration(ExpenseCategory.allCases.map(\.rawValue)),
                "date": T.date, "item_id": T.uuid,
            ], required: ["description", "amount", "currency", "paid_by", "split", "category", "date"])
        let expense = T.object(
            [
                "id": T.uuid, "description": T.string, "amount": T.integer, "currency": T.currency, "rate": T.string,
                "converted_amount": T.integer,
                "shares": T.array(T.object(["user_id": T.uuid, "amount": T.integer])), "paid_by": T.uuid,
                "split": split, "category": T.string, "date": T.date, "item_id": T.uuid, "version": T.integer,
            ], required: ["id", "description", "amount", "currency", "converted_amount", "shares", "paid_by", "split"])
        routes.post(
            "/v1/trips/{id}/expenses", middleware: idempotent,
            doc: RouteDoc(
                summary: "Record an expense (editor)",
                description:
                    "Record a repayment as category `settlement`, paid by the debtor, split `exact` to the creditor.",
                tags: tags, parameters: [T.idempotencyKey], requestBody: RequestBodyDoc(schema: input),
                responses: [ResponseDoc(201, "Recorded", schema: expense), T.invalid, T.forbidden, T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let e = try s.createExpense(try request.tripID, try request.decodeJSON(ExpenseInput.self), p)
            return try .json(e, etag: e.etag, status: .created)
        }
        routes.get(
            "/v1/trips/{id}/expenses",
            doc: RouteDoc(
                summary: "List expenses, newest first", tags: tags,
                parameters: [ParameterDoc("limit", schema: T.integer), ParameterDoc("cursor")],
                responses: [ResponseDoc(200, "A page of expenses", schema: T.page(expense)), T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(s.expenses(try request.tripID, page: try PageRequest(request, fields: 2), p))
        }
        routes.get(
            "/v1/trips/{id}/expenses/{eid}",
            doc: RouteDoc(
                summary: "Read an expense", tags: tags,
                responses: [ResponseDoc(200, "The expense", schema: expense), T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            let e = try s.expense(try request.tripID, try request.uuid("eid", "expense"), p)
            return try .json(e, etag: e.etag)
        }
        routes.patch(
            "/v1/trips/{id}/expenses/{eid}",
            doc: RouteDoc(
                summary: "Change an expense (editor)", tags: tags, parameters: [T.ifMatch],
                requestBody: RequestBodyDoc(schema: input),
                responses: [
                    ResponseDoc(200, "The expense", schema: expense), T.invalid, T.forbidden, T.notFound, T.stale,
                ])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            let e = try s.updateExpense(
                try request.tripID, try request.uuid("eid", "expense"), try request.decodeJSON(ExpenseInput.self),
                ifMatch: try request.ifMatchVersion("e", "expense"), p)
            return try .json(e, etag: e.etag)
        }
        routes.delete(
            "/v1/trips/{id}/expenses/{eid}",
            doc: RouteDoc(
                summary: "Delete an expense (editor)", tags: tags, parameters: [T.ifMatch],
                responses: [ResponseDoc(204, "Deleted", contentType: nil), T.forbidden, T.notFound, T.stale])
        ) { request in
            let p = try request.authenticated(scope: .tripsWrite)
            try s.deleteExpense(
                try request.tripID, try request.uuid("eid", "expense"),
                ifMatch: try request.ifMatchVersion("e", "expense"), p)
            return .noContent
        }
        routes.get(
            "/v1/trips/{id}/balances",
            doc: RouteDoc(
                summary: "Net positions and the fewest transfers that settle everyone",
                description: "In the trip currency's minor units; transfers sum exactly to the debts.", tags: tags,
                responses: [ResponseDoc(200, "Balances", schema: T.anyObject), T.notFound])
        ) { request in
            let p = try request.authenticated(scope: .tripsRead)
            return try .json(s.balances(try request.tripID, p))
        }
    }
}
