/// The immutable routing trie the server matches against, on raw path octets.
public final class CompiledRouter: Sendable {
    final class Node: @unchecked Sendable {  // built once in init, then only read
        var literals: [(segment: [UInt8], node: Node)] = []
        var params: [(prefix: [UInt8], suffix: [UInt8], name: String, node: Node)] = []
        /// Indexed by `HTTPMethod.rawValue`.
        var handlers: [RouteMatchTemplate?] = Array(repeating: nil, count: HTTPMethod.allCases.count)
        var template = ""
        var hasHandlers: Bool { handlers.contains { $0 != nil } }
    }

    struct RouteMatchTemplate: Sendable {
        let handler: Handler
        let bodyLimit: Int
    }

    let root = Node()
    let notFound: Handler
    public let routes: [RouteInfo]
    let global: [any Middleware]

    init(_ router: Router) {
        routes = router.routes
        global = router.middleware
        notFound = router.middleware.wrapping { request in
            throw HTTPError(.notFound, detail: "no route for \(request.method) \(request.path)")
        }
        for entry in router.entries {
            var node = root
            for segment in entry.info.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
                node = Self.child(of: node, for: Substring(segment))
            }
            node.template = entry.info.path
            node.handlers[Int(entry.info.method.rawValue)] = RouteMatchTemplate(
                handler: router.middleware.wrapping(entry.handler), bodyLimit: entry.info.bodyLimit)
        }
        Self.sortParams(root)
    }

    private static func child(of node: Node, for segment: Substring) -> Node {
        if let open = segment.firstIndex(of: "{"), let close = segment[open...].firstIndex(of: "}") {
            let prefix = Array(segment[..<open].utf8)
            let suffix = Array(segment[segment.index(after: close)...].utf8)
            let name = String(segment[segment.index(after: open)..<close])
            if let existing = node.params.first(where: { $0.prefix == prefix && $0.suffix == suffix }) {
                precondition(existing.name == name, "parameter {\(name)} conflicts with {\(existing.name)}")
                return existing.node
            }
            let n = Node()
            node.params.append((prefix, suffix, name, n))
            return n
        }
        let bytes = Array(segment.utf8)
        if let existing = node.literals.first(where: { $0.segment == bytes }) { return existing.node }
        let n = Node()
        node.literals.append((bytes, n))
        return n
    }

    private static func sortParams(_ node: Node) {
        node.params.sort { $0.prefix.count + $0.suffix.count > $1.prefix.count + $1.suffix.count }
        for child in node.literals { sortParams(child.node) }
        for child in node.params { sortParams(child.node) }
    }

    /// Matches a method and a path (octets, percent-encoded as received). Unmatched requests get a
    /// handler that still runs the global middleware, so 404/405 are logged and counted like any other.
    func match(_ method: HTTPMethod, path: UnsafeRawBufferPointer) -> RouteMatch {
        if path.count == 0 {  // an absolute-form target without a path means "/" (RFC 9112 §3.2.2)
            return Self.slash.withUnsafeBytes { match(method, path: $0) }
        }
        var params: [(name: String, value: String)] = []
        guard path[0] == ASCII.slash, let node = Self.find(root, path, 1, &params) else {
            return RouteMatch(
                handler: notFound, template: "", bodyLimit: Router.defaultBodyLimit, parameters: PathParameters())
        }
        let entry =
            node.handlers[Int(method.rawValue)] ?? (method == .head ? node.handlers[Int(HTTPMethod.get.rawValue)] : nil)
        if let entry {
            return RouteMatch(
                handler: entry.handler, template: node.template, bodyLimit: entry.bodyLimit,
                parameters: PathParameters(pairs: params))
        }
        let allow = Self.allow(node)
        let handler: Handler
        if method == .options {
            handler = global.wrapping { _ in
                var h = HTTPFields()
                h.append(.allow, allow)
                return Response(status: .noContent, headers: h)
            }
        } else {
            handler = global.wrapping { request in
                var h = HTTPFields()
                h.append(.allow, allow)
                throw HTTPError(
                    .methodNotAllowed, detail: "\(request.method) is not allowed here; allowed: \(allow)", headers: h)
            }
        }
        return RouteMatch(
            handler: handler, template: node.template, bodyLimit: Router.defaultBodyLimit,
            parameters: PathParameters(pairs: params))
    }

    private static let slash: [UInt8] = [ASCII.slash]

    /// Depth-first: literal children first, then parameters; backtracks so a literal dead end still
    /// lets a parameter route match.
    private static func find(
        _ node: Node, _ path: UnsafeRawBufferPointer, _ start: Int, _ params: inout [(name: String, value: String)]
    ) -> Node? {
        var end = start
        while end < path.count, path[end] != ASCII.slash { end += 1 }
        let segment = UnsafeRawBufferPointer(rebasing: path[start..<end])
        let last = end >= path.count
        for (literal, child) in node.literals where literal.count == segment.count {
            if literal.withUnsafeBytes({ $0.elementsEqual(segment) }),
                let found = last ? (child.hasHandlers ? child : nil) : find(child, path, end + 1, &params)
            {
                return found
            }
        }
        for p in node.params where segment.count > p.prefix.count + p.suffix.count {
            guard segment.starts(with: p.prefix), segment.reversed().starts(with: p.suffix.reversed()) else { continue }
            let raw = UnsafeRawBufferPointer(rebasing: segment[p.prefix.count..<(segment.count - p.suffix.count)])
            let rawString = String(decoding: raw, as: UTF8.self)
            params.append((p.name, PercentDecoding.decode(rawString) ?? rawString))
            if let found = last ? (p.node.hasHandlers ? p.node : nil) : find(p.node, path, end + 1, &params) {
                return found
            }
            params.removeLast()
        }
        return nil
    }

    private static func allow(_ node: Node) -> String {
        var methods = HTTPMethod.allCases.filter { node.handlers[Int($0.rawValue)] != nil }
        if methods.contains(.get), !methods.contains(.head) { methods.append(.head) }
        if !methods.contains(.options) { methods.append(.options) }
        return methods.map(\.description).joined(separator: ", ")
    }
}
