/// The marker a fresh sign-in adds to the page it returns to: arriving with it and without a session means
/// the browser does not keep cookies.
enum CookieCheck {
    static let name = "cookie-check"

    static func hasMarker(_ query: String?) -> Bool {
        query?.split(separator: "&").contains { $0 == Self.name || $0.hasPrefix(Self.name + "=") } ?? false
    }

    /// The path to return to after a sign-in that set a cookie.
    static func marked(_ path: String) -> String {
        path + (path.contains("?") ? "&" : "?") + Self.name + "=1"
    }

    /// The request's path and query without the marker, or nil when it has none.
    static func withoutMarker(path: String, query: String?) -> String? {
        guard Self.hasMarker(query), let query else { return nil }
        let rest = query.split(separator: "&").filter { !($0 == Self.name || $0.hasPrefix(Self.name + "=")) }
        return path + (rest.isEmpty ? "" : "?" + rest.joined(separator: "&"))
    }
}
