import Foundation

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held. For
/// waiting on another thread or process (`#expect(try eventually { … })`), not for measuring time.
public func eventually(seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
