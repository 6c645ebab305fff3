import Foundation
import HTTP
import Kernel

/// `POST /v1/ai/chat/completions`: OpenAI's Chat Completions, through the gateway's pipeline.
struct ChatCompletionRoutes {
    let gateway: ChatGateway
    let errors: OpenAIErrorMiddleware
    /// Throws (404) unless the caller may see the trip: `X-Trip-ID` attributes cost to trips the caller
    /// belongs to only.
    let checkTrip: @Sendable (UUID, Principal) throws -> Void

    /// Requests above this are refused with 413 before they are read (long conversations fit easily).
    static let bodyLimit = 1 << 20

    func register(_ routes: inout Routes) {
        let gateway = self.gateway
        let errors = self.errors
        let checkTrip = self.checkTrip
        routes.post(
            "/v1/ai/chat/completions", bodyLimit: Self.bodyLimit, middleware: [errors],
            doc: RouteDoc(
                summary: "Create a chat completion (OpenAI-compatible; stream: true answers server-sent events)",
                description: """
                    Budgets are checked before any provider is called; e-mail addresses, phone, card and passport \
                    numbers are redacted from message text first (AI_REDACT). Non-streaming requests with \
                    temperature 0 are answered from the cache when possible (X-Cache: HIT|MISS); send \
                    Cache-Control: no-cache to skip the lookup, no-store to skip the cache entirely.
                    """,
                tags: ["ai"],
                parameters: [
                    ParameterDoc(
                        "X-Trip-ID", in: .header, description: "Attribute the call's cost to this trip",
                        schema: ["type": "string", "format": "uuid"]),
                    ParameterDoc("Cache-Control", in: .header, description: "no-cache or no-store"),
                ],
                requestBody: RequestBodyDoc(
                    schema: [
                        "type": "object", "required": ["messages"],
                        "properties": [
                            "model": ["type": "string"], "messages": ["type": "array", "minItems": 1],
                            "stream": ["type": "boolean"],
                            "temperature": ["type": "number", "minimum": 0, "maximum": 2],
                            "n": ["type": "integer", "enum": [1]],
                        ],
                    ],
                    example: ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "Hello"]]]),
                responses: [
                    ResponseDoc(
                        200, "A chat.completion object, or a text/event-stream of chat.completion.chunk events",
                        headers: [("X-AI-Provider", "The provider that answered"), ("X-Cache", "HIT or MISS")]),
                    .problem(400, "Invalid request (param names the field)"),
                    .problem(402, "A cost budget is used up"), .problem(404, "Unknown model"),
                    .problem(429, "A token budget is used up"), .problem(502, "Every provider failed"),
                    .problem(503, "No provider configured"), .problem(504, "The provider timed out"),
                ])
        ) { request in
            let principal = try request.authenticated(scope: .ai)
            let tripID = try Self.tripID(request)
            if let tripID { try checkTrip(tripID, principal) }
            let caller = AICaller(principal, tripID: tripID)
            try request.requireJSONContentType()
            let chat = try ChatRequest.parse(request.body)
            let call = try gateway.prepare(chat, for: caller, cacheControl: Self.cacheControl(request))
            // The provider may take a minute: wait off the handler pool so slow models cannot starve
            // ordinary requests of handler threads (DESIGN §2).
            return .deferred {
                do {
                    if chat.stream { return try gateway.openStream(call) }
                    let answer = try gateway.answer(call)
                    var response = Response(status: .ok, contentType: "application/json", body: answer.body.bytes)
                    response.headers.append("X-AI-Provider", answer.provider)
                    if answer.cache != .off {
                        response.headers.append("X-Cache", answer.cache == .hit ? "HIT" : "MISS")
                    }
                    return response
                } catch {
                    return errors.response(for: error, request: request)
                }
            }
        }
    }

    /// `X-Trip-ID`, when sent: a UUID (membership is checked by the route).
    static func tripID(_ request: Request) throws -> UUID? {
        guard let raw = request.headers["X-Trip-ID"] else { return nil }
        guard let id = UUID(uuidString: raw.trimmingCharacters(in: .whitespaces)) else {
            throw GatewayError.invalidRequest(field: "X-Trip-ID", message: "X-Trip-ID must be a UUID.")
        }
        return id
    }

    static func cacheControl(_ request: Request) -> ChatGateway.CacheControl {
        guard let value = request.headers[.cacheControl]?.lowercased() else { return .normal }
        let directives = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if directives.contains("no-store") { return .noStore }
        if directives.contains("no-cache") { return .noCache }
        return .normal
    }
}
