/// Splits a byte stream into lines (LF or CRLF) and collects `data:` fields into server-sent events.
struct SSELineSplitter {
    var pending: [UInt8] = []
    var data: [String] = []

    /// Adds bytes and returns the data of every event completed by them (an empty line ends an event).
    mutating func append(_ bytes: some Sequence<UInt8>) -> [String] {
        var events: [String] = []
        for byte in bytes {
            guard byte == UInt8(ascii: "\n") else {
                self.pending.append(byte)
                continue
            }
            if self.pending.last == UInt8(ascii: "\r") { self.pending.removeLast() }
            let line = String(decoding: self.pending, as: UTF8.self)
            self.pending.removeAll(keepingCapacity: true)
            if line.isEmpty {
                if !self.data.isEmpty {
                    events.append(self.data.joined(separator: "\n"))
                    self.data.removeAll()
                }
            } else if line.hasPrefix("data:") {
                var value = line.dropFirst(5)
                if value.first == " " { value = value.dropFirst() }
                self.data.append(String(value))
            }
            // Comments (`:`), `event:`, `id:` and `retry:` lines carry nothing chat completions need.
        }
        return events
    }

    /// The event left when the stream ends without a final empty line.
    mutating func finish() -> String? {
        if !self.pending.isEmpty { _ = self.append([UInt8(ascii: "\n")]) }
        guard !self.data.isEmpty else { return nil }
        defer { self.data.removeAll() }
        return self.data.joined(separator: "\n")
    }
}
