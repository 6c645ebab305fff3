import Synchronization

/// Gazetteers already loaded, by file path. Guarded by a mutex: the first caller loads the file,
/// later ones (place search, the planner) share the same index instead of a second copy.
private let loadedGazetteers = Mutex<[String: Gazetteer]>([:])

extension Gazetteer {
    /// The offline gazetteer at `configured` (`GAZETTEER_FILE`), else the one installed with the
    /// server; nil when there is no file. Loaded once per process and path, then shared.
    public static func shared(configured: String?) throws -> Gazetteer? {
        guard let path = GazetteerGeocoder.locate(configured: configured) else { return nil }
        return try loadedGazetteers.withLock { loaded in
            if let gazetteer = loaded[path] { return gazetteer }
            let gazetteer = try Gazetteer(contentsOf: path)
            loaded[path] = gazetteer
            return gazetteer
        }
    }
}
