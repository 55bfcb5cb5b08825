/// Helpers for absolute HDF5 object paths such as `/train/loss`.
enum RecordPath {
    /// The path's components: `/train/loss` -> ["train", "loss"]; `/` -> [].
    static func components(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// Whether `path` is absolute, has no empty components and no `.` or `..` components.
    static func isValid(_ path: String) -> Bool {
        guard path.hasPrefix("/") else { return false }
        if path == "/" { return true }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// The canonical form: leading slash, no trailing slash (`/` stays `/`).
    static func normalized(_ path: String) -> String {
        "/" + components(path).joined(separator: "/")
    }

    /// Every ancestor group of `path`, outermost first, excluding `/`:
    /// `/a/b/c` -> ["/a", "/a/b"].
    static func ancestors(_ path: String) -> [String] {
        let parts = components(path)
        guard parts.count > 1 else { return [] }
        return (1..<parts.count).map { "/" + parts[0..<$0].joined(separator: "/") }
    }

    /// `parent` joined with `name`: ("/", "a") -> "/a", ("/a", "b") -> "/a/b".
    static func join(_ parent: String, _ name: String) -> String {
        parent == "/" ? "/" + name : parent + "/" + name
    }
}
