/// HTML escaping that works per Unicode scalar.
///
/// Escaping per `Character` (grapheme cluster) is unsafe: `"` followed by U+0301 is a single
/// Character that compares unequal to `"`, so a Character-based table lets the raw quote
/// through and an attribute value can be broken out of (GHSA-4hfh-fch3-5q7p in LeafKit;
/// swift-mustache has the same flaw). Looking at each scalar closes that hole.
public enum HTMLEscaping {
    /// Escapes `& < > " '` so the result is safe in element content and in quoted attribute values.
    public static func escape(_ text: String) -> String {
        // Fast path: most text needs no escaping at all.
        guard text.unicodeScalars.contains(where: Self.needsEscaping) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output.append(contentsOf: "&amp;".unicodeScalars)
            case "<": output.append(contentsOf: "&lt;".unicodeScalars)
            case ">": output.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": output.append(contentsOf: "&quot;".unicodeScalars)
            case "'": output.append(contentsOf: "&#39;".unicodeScalars)
            default: output.append(scalar)
            }
        }
        return String(output)
    }

    private static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "\"", "'": true
        default: false
        }
    }
}

extension String {
    /// This text escaped for HTML, per Unicode scalar (see `HTMLEscaping`).
    public var htmlEscaped: String { HTMLEscaping.escape(self) }
}
