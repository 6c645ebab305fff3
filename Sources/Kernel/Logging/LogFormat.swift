/// How log lines are written: JSON for machines (production), text for people (a terminal).
public enum LogFormat: String, Sendable, CaseIterable {
    case json
    case text
}
