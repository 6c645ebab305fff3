/// A member's role on one trip (DESIGN §7): viewers read; editors also write items, expenses and
/// checklists; the owner also manages members, share links, deletion and ownership.
public enum TripRole: String, Sendable, Codable, CaseIterable {
    case owner, editor, viewer

    /// The roles allowed to do something that needs `self`.
    var andAbove: [TripRole] {
        switch self {
        case .viewer: return [.owner, .editor, .viewer]
        case .editor: return [.owner, .editor]
        case .owner: return [.owner]
        }
    }
}
