import Synchronization

/// A kind's handler and how long one attempt may take.
struct JobKindHandler: Sendable {
    let timeout: Duration
    let run: @Sendable (Job) throws -> Void
}

/// The kinds this process can run. Registering again replaces the handler.
final class JobRegistry: Sendable {
    /// Kind → handler.
    private let handlers = Mutex<[String: JobKindHandler]>([:])

    func register(_ kind: String, _ handler: JobKindHandler) {
        handlers.withLock { $0[kind] = handler }
    }

    func handler(for kind: String) -> JobKindHandler? {
        handlers.withLock { $0[kind] }
    }

    var kinds: [String] { handlers.withLock { Array($0.keys) } }
}
