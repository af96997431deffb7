import Testing

@testable import Chat

@Suite("Fences around generated code") struct FenceStripperTests {
    /// The output for `input` fed in pieces of `size` characters.
    static func strip(_ input: String, size: Int) -> String {
        var stripper = FenceStripper()
        var out = ""
        var rest = Substring(input)
        while !rest.isEmpty {
            out += stripper.feed(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return out + stripper.finish()
    }

    static let code = "def main():\n    print(\"hi\")\n\nmain()"

    @Test("a wrapping fence is removed however the stream is cut", arguments: [1, 2, 3, 5, 8, 1000])
    func wrapped(size: Int) {
        #expect(Self.strip("```python\n\(Self.code)\n```", size: size) == Self.code)
        #expect(Self.strip("\n```\n\(Self.code)\n```\n", size: size) == Self.code)
        #expect(Self.strip("```csv\na,b\n1,2\n```  \n", size: size) == "a,b\n1,2")
    }

    @Test("unfenced content and fences inside the document are left alone", arguments: [1, 3, 1000])
    func unwrapped(size: Int) {
        #expect(Self.strip(Self.code, size: size) == Self.code)
        #expect(Self.strip("a,b\n1,2\n", size: size) == "a,b\n1,2\n")
        let markdownInCode = "s = \"\"\"\n```\nx\n```\n\"\"\"\nprint(s)"
        #expect(Self.strip(markdownInCode, size: size) == markdownInCode)
        // A closing fence not at the end is content.
        #expect(Self.strip("```js\nlet a = 1\n```\nmore()", size: size) == "let a = 1\n```\nmore()")
        #expect(Self.strip("`x` is a name", size: size) == "`x` is a name")
    }

    @Test("text never waits for more than a line")
    func streaming() {
        var stripper = FenceStripper()
        #expect(stripper.feed("```py") == "")
        #expect(stripper.feed("thon\nimport os\n") == "import os")
        #expect(stripper.feed("os.getcwd()") == "\nos.getcwd()")
        #expect(stripper.feed("\n``") == "")
        #expect(stripper.finish() == "\n``")
    }
}
