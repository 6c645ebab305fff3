/// A growable ring-free queue: an array plus a read index, compacted when half consumed.
/// Amortised O(1) push and pop without a package dependency.
struct FIFO<Element> {
    private var items: [Element] = []
    private var head = 0

    var count: Int { items.count - head }
    var isEmpty: Bool { head == items.count }
    var first: Element? { isEmpty ? nil : items[head] }

    mutating func append(_ e: Element) { items.append(e) }

    mutating func popFirst() -> Element? {
        guard head < items.count else { return nil }
        let e = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 32, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return e
    }

    /// Mutates the first element in place.
    mutating func withFirst<R>(_ body: (inout Element) -> R) -> R? {
        guard head < items.count else { return nil }
        return body(&items[head])
    }

    mutating func removeAll() {
        items.removeAll()
        head = 0
    }
}
