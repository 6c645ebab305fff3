/// One invalid or missing variable and what is wrong with it.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public var variable: String
    public var message: String

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "\(variable): \(message)" }
}

/// Every configuration problem found at start, reported together so an operator fixes them in one pass
/// (DESIGN §8) instead of discovering them one restart at a time.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    /// The names of the bad variables, in the order they were found.
    public var variables: [String] { problems.map(\.variable) }

    /// One message: a first line naming every bad variable, then one line per problem.
    public var description: String {
        let names = variables.joined(separator: ", ")
        let noun = problems.count == 1 ? "variable" : "variables"
        return "invalid configuration (\(problems.count) \(noun): \(names))\n"
            + problems.map { "  \($0.description)" }.joined(separator: "\n")
    }
}
