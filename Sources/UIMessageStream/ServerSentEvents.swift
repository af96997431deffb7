import Foundation

/// Server-sent-event framing of the UI message stream.
public enum ServerSentEvents {
    /// The header that tells AI SDK clients which protocol the body speaks.
    public static let protocolHeaderName = "x-vercel-ai-ui-message-stream"
    public static let protocolHeaderValue = "v1"

    /// One event: the chunk's sequence number as its id (for Last-Event-ID resumption) and its JSON.
    public static func event(id: Int, json: String) -> String {
        "id: \(id)\ndata: \(json)\n\n"
    }

    /// The stream's last event.
    public static let done = "data: [DONE]\n\n"

    /// Keeps proxies from timing out an idle connection while the model thinks.
    public static let keepAlive = ": keep-alive\n\n"
}

/// Splits an SSE byte stream back into events (for tests and for clients written in Swift).
public struct ServerSentEventParser: Sendable {
    public struct Event: Sendable, Equatable {
        public var id: String?
        public var data: String
    }

    private var buffer = ""
    public init() {}

    /// Feeds text; returns the events completed by it. Events may span any number of calls.
    public mutating func feed(_ text: String) -> [Event] {
        self.buffer += text.replacingOccurrences(of: "\r\n", with: "\n")
        var events: [Event] = []
        while let range = self.buffer.range(of: "\n\n") {
            let block = self.buffer[..<range.lowerBound]
            self.buffer.removeSubrange(..<range.upperBound)
            var event = Event(id: nil, data: "")
            var dataLines: [Substring] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") { continue }
                if line.hasPrefix("data:") {
                    dataLines.append(line.dropFirst(5).drop(while: { $0 == " " }))
                } else if line.hasPrefix("id:") {
                    event.id = String(line.dropFirst(3).drop(while: { $0 == " " }))
                }
            }
            guard !dataLines.isEmpty else { continue }
            event.data = dataLines.joined(separator: "\n")
            events.append(event)
        }
        return events
    }
}
