import HTTP
import Kernel

/// PLACEHOLDER (replaced by the gateway work): the gateway's services and routes.
final class GatewayComponents: Sendable {
    let completer: any ChatCompleting

    init(services: Services) throws {
        completer = Unconfigured()
    }

    func register(_ routes: inout Routes) {}

    struct Unconfigured: ChatCompleting {
        var isConfigured: Bool { false }
        func complete(_ request: JSONValue, for caller: AICaller) throws(GatewayError) -> JSONValue {
            throw .noProvider
        }
    }
}
