/// Removes a Markdown fence wrapping a streamed code or sheet document (```` ```python ```` … ```` ``` ````), which
/// models add though told not to, without holding the stream back more than a line: the opening line waits
/// until it is known not to be a fence, a possible closing fence waits until more text or the end shows what it is.
/// Fences inside the document (not wrapping it) stay.
struct FenceStripper {
    enum State { case start, body, plain }
    private(set) var state: State = .start
    private var pending = ""
    /// An opening line longer than this is not a fence's (```` ```language ````): stop waiting for its end.
    static let maxFenceLine = 100

    /// Text that can be sent now.
    mutating func feed(_ delta: String) -> String {
        self.pending += delta
        if self.state == .start {
            let trimmed = self.pending.drop(while: { $0.isWhitespace })
            if trimmed.isEmpty { return "" }
            if trimmed.hasPrefix("```") {
                guard let newline = trimmed.firstIndex(of: "\n") else {
                    if trimmed.count > Self.maxFenceLine { self.state = .plain }
                    return self.state == .plain ? self.take(self.pending.endIndex) : ""
                }
                self.pending = String(trimmed[trimmed.index(after: newline)...])
                self.state = .body
            } else if "```".hasPrefix(trimmed) {
                return ""
            } else {
                self.state = .plain
            }
        }
        if self.state == .plain { return self.take(self.pending.endIndex) }
        return self.take(self.heldBackStart())
    }

    /// What is left at the end: a held-back closing fence is dropped.
    mutating func finish() -> String {
        defer { self.pending = "" }
        if self.state == .body, self.pending.filter({ !$0.isWhitespace }) == "```" { return "" }
        return self.pending
    }

    /// Where the text that could still be a closing fence begins: the earliest newline after which there is only
    /// whitespace and at most "```".
    private func heldBackStart() -> String.Index {
        var start = self.pending.endIndex
        var index = self.pending.endIndex
        while index > self.pending.startIndex {
            index = self.pending.index(before: index)
            guard self.pending[index] == "\n" else { continue }
            let rest = self.pending[self.pending.index(after: index)...].filter { !$0.isWhitespace }
            guard "```".hasPrefix(rest) else { break }
            start = index
        }
        // Text on the line after the last newline that is not a fence start cannot be held back by the loop above
        // (no newline before it was valid); a trailing fragment with no newline at all is sent.
        return start
    }

    private mutating func take(_ end: String.Index) -> String {
        let out = String(self.pending[..<end])
        self.pending = String(self.pending[end...])
        return out
    }
}
