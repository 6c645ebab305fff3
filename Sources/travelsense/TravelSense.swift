import ArgumentParser
import Kernel

/// `travelsense`: the one executable (DESIGN §1).
struct TravelSense: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "travelsense",
        abstract: "TravelSense backend: HTTP API server and tools.",
        version: BuildInfo.version,
        subcommands: [Serve.self, Work.self, Dev.self, Migrate.self, Admin.self, Version.self],
        defaultSubcommand: nil)
}
