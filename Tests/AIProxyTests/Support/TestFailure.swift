/// A test's own failure, thrown where an expectation leaves nothing sensible to check afterwards.
struct TestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
