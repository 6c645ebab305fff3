import ArgumentParser
import Kernel

/// `travelsense version`.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("\(BuildInfo.name) \(BuildInfo.version)")
    }
}
