import Foundation

/// A packing list or to-do list of a trip, with its entries in order.
public struct ChecklistView: Sendable, Encodable {
    public var id: String
    public var title: String
    public var items: [ChecklistEntryView]
    public var createdAt: Date
    public var updatedAt: Date
}

public struct ChecklistEntryView: Sendable, Encodable {
    public var id: String
    public var text: String
    public var checked: Bool
    public var checkedBy: String?
    public var checkedAt: Date?
}

/// `POST …/checklists` (`items` optional) and `PATCH …/checklists/{cid}` (title only).
public struct ChecklistInput: Decodable, Sendable {
    public var title: String?
    public var items: [String]?
}

/// `POST …/checklists/{cid}/items` and `PATCH …/items/{eid}` (text and/or checked).
public struct ChecklistEntryInput: Decodable, Sendable {
    public var text: String?
    public var checked: Bool?
    public var afterId: String?
}

/// `POST …/checklists/{cid}/items/{eid}/move`: after `after_id`, or first.
public struct ChecklistMoveInput: Decodable, Sendable {
    public var afterId: String?
}
