import Foundation

/// Reads /proc: which processes mention a path on their command line, plus all their descendants
/// (PostgreSQL's background workers show only "postgres: checkpointer" there).
enum ProcessTable {
    static func processes(mentioning needle: String) -> Set<Int32> {
        var parentOf: [Int32: Int32] = [:]
        var roots = Set<Int32>()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry) else { continue }
            if let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                String(decoding: cmdline.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(needle)
            {
                roots.insert(pid)
            }
            if let parent = parentPID(pid) { parentOf[pid] = parent }
        }
        var found = roots
        var grew = true
        while grew {
            grew = false
            for (pid, parent) in parentOf where found.contains(parent) && !found.contains(pid) {
                found.insert(pid)
                grew = true
            }
        }
        // Zombies of ours (already dead, not yet reaped) don't count as running.
        return found.filter { state($0) != "Z" }
    }

    /// Field 4 of /proc/PID/stat; the command name (field 2) may contain spaces, so parse after its ')'.
    static func parentPID(_ pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    static func state(_ pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ").first.map(String.init)
    }
}
