/// Lengths of user and model text counted in Unicode scalars, a unit that bounds bytes (at most 4 each):
/// grapheme clusters do not ("a" with 150,000 combining marks is one Character of 300 KB).
enum TextLimits {
    static func length(_ text: some StringProtocol) -> Int { text.unicodeScalars.count }

    /// At most `limit` scalars, `suffix` (counted) included when the text is cut. Cuts between characters
    /// when it can, so a cut never splits an accent from its letter; a single character longer than the
    /// limit (a combining-mark flood) is cut between scalars.
    static func prefix(_ text: some StringProtocol, _ limit: Int, suffix: String = "") -> String {
        guard self.length(text) > limit else { return String(text) }
        let keep = max(limit - self.length(suffix), 0)
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
