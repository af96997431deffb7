/// Length limits counted in Unicode scalars, a unit that bounds bytes (at most 4 UTF-8 bytes each).
///
/// `String.count` counts grapheme clusters: "a" followed by 150,000 combining marks is one Character
/// and 300 KB. Every limit on client text (messages, titles, emails, passwords) is counted here.
public enum TextLimit {
    /// The number of scalars in `text`, reading at most `limit + 1` of them.
    public static func scalarCount(_ text: some StringProtocol, upTo limit: Int) -> Int {
        var count = 0
        for _ in text.unicodeScalars {
            count += 1
            if count > limit { break }
        }
        return count
    }

    /// Whether `text` has at most `limit` Unicode scalars; stops reading after `limit + 1`.
    public static func fits(_ text: some StringProtocol, scalars limit: Int) -> Bool {
        self.scalarCount(text, upTo: limit) <= limit
    }

    /// `text` cut to at most `limit` Unicode scalars (a combining mark may be cut from its base).
    public static func truncate(_ text: String, scalars limit: Int) -> String {
        guard !self.fits(text, scalars: limit) else { return text }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text.unicodeScalars.prefix(limit))
        return String(view)
    }

    /// At most `limit` scalars, `suffix` (counted) included when the text is cut. Cuts between characters
    /// when it can, so a cut never splits an accent from its letter; a single character longer than the
    /// limit (a combining-mark flood) is cut between scalars.
    public static func prefix(_ text: some StringProtocol, _ limit: Int, suffix: String = "") -> String {
        guard !self.fits(text, scalars: limit) else { return String(text) }
        let keep = max(limit - suffix.unicodeScalars.count, 0)
        var result = ""
        var used = 0
        for character in text {
            let size = character.unicodeScalars.count
            if used + size > keep { break }
            result.append(character)
            used += size
        }
        if result.isEmpty {
            result.unicodeScalars.append(contentsOf: text.unicodeScalars.prefix(keep))
        }
        return result + suffix
    }
}
