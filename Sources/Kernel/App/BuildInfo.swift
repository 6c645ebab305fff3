/// What `travelsense version` prints and the OpenAPI document's `info.version`.
public enum BuildInfo {
    public static let name = "travelsense"
    public static let version = "0.1.0"
}
