import Foundation

/// The `redirectUrl` of guest sign-in: a same-origin path, never another site.
enum GuestRedirect {
    static func encode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? "/"
    }

    /// The path to return to, or "/" when the value is absent or could leave the site
    /// (absolute URLs, `//host`, backslashes, control characters).
    static func safePath(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"),
            !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
            !value.hasPrefix("/api/auth/guest")
        else { return "/" }
        return value
    }
}
