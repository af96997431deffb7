import Testing

@testable import Web

@Suite("HTML escaping")
struct HTMLEscapingTests {
    @Test("escapes the five special characters")
    func escapesSpecials() {
        #expect(HTMLEscaping.escape(#"<a href="x" title='y'>&</a>"#) == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
    }

    @Test("leaves ordinary text alone")
    func plainText() {
        #expect(HTMLEscaping.escape("Hello, wörld 👋🏽") == "Hello, wörld 👋🏽")
        #expect(HTMLEscaping.escape("") == "")
    }

    @Test("a quote followed by a combining mark is still escaped", arguments: ["\"\u{0301}", "'\u{0301}", "<\u{0338}", ">\u{20D2}", "&\u{0301}"])
    func combiningMarks(_ hostile: String) {
        let escaped = HTMLEscaping.escape(hostile)
        #expect(!escaped.unicodeScalars.contains { "\"'<>".unicodeScalars.contains($0) })
        // The mark itself survives: we escape, we do not strip.
        #expect(escaped.unicodeScalars.last == hostile.unicodeScalars.last)
    }

    @Test("an attribute keeps exactly its own two quotes")
    func attributeBreakout() {
        let hostile = "x\"\u{0301} onmouseover=\"alert(1)\u{0301}"
        let html: HTML = "<input value=\"\(hostile)\">"
        #expect(html.rendered.unicodeScalars.filter { $0 == "\"" }.count == 2)
        #expect(!html.rendered.contains("onmouseover=\""))
    }

    @Test("interpolated strings are escaped, interpolated HTML is not")
    func interpolation() {
        let inner: HTML = "<b>\("<i>")</b>"
        let outer: HTML = "<p>\(inner)\("&")</p>"
        #expect(outer.rendered == "<p><b>&lt;i&gt;</b>&amp;</p>")
        let missing: String? = nil
        let optional: HTML = "<p>\(missing)</p>"
        #expect(optional.rendered == "<p></p>")
    }

    @Test("String.htmlEscaped matches HTMLEscaping.escape")
    func stringExtension() {
        #expect("a<b".htmlEscaped == "a&lt;b")
    }
}
