import HTTP
import Kernel

/// Collects every bad field of a request so one 400 names them all (DESIGN §6).
struct FieldErrors {
    private(set) var list: [HTTPError.FieldError] = []

    var isEmpty: Bool { list.isEmpty }

    mutating func add(_ field: String, _ message: String) {
        list.append(.init(field: field, message: message))
    }

    /// A required, trimmed string of 1…`max` characters without control characters.
    mutating func text(_ value: String?, _ field: String, max: Int, required: Bool = true) -> String? {
        guard let value else {
            if required { add(field, "is required") }
            return nil
        }
        let trimmed = value.trimmingWhitespace()
        if trimmed.isEmpty {
            if required { add(field, "must not be empty") }
            return required ? nil : ""
        }
        if trimmed.count > max { add(field, "must be at most \(max) characters") }
        if trimmed.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t"
        }) {
            add(field, "must not contain control characters")
        }
        return trimmed
    }

    /// Adds `other`'s errors with `prefix` before each field (`items[3].` + `day`).
    mutating func merge(_ other: FieldErrors, prefix: String) {
        list += other.list.map { .init(field: prefix + $0.field, message: $0.message) }
    }

    /// Throws the 400 when anything was collected.
    func check(title: String = "Invalid request body") throws {
        guard !list.isEmpty else { return }
        throw HTTPError.invalid(list, title: title)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
