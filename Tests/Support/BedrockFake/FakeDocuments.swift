import Bedrock
import Foundation

/// The fake's side of the document tools, driven by directives in the last user message so browser tests and
/// pytest can ask for them without a scripting API:
///
/// - `fake:document:<text|code|sheet>` — a `createDocument` call (input streamed in fragments);
/// - `fake:update:<id>` — an `updateDocument` call for that document;
/// - `fake:suggest:<id>` — a `requestSuggestions` call;
/// - `fake:document-bad` — a `createDocument` call with an invalid kind;
/// - `fake:document-slow:<kind>` — a `createDocument` call whose content then arrives a line every 100 ms for a
///   minute (a document being written, to stop or to reload during).
///
/// Calls are made only when the request offers tools. The server's own follow-up calls have none: a writer
/// call (the directive is still in the last user turn) gets document content, and a call whose system prompt
/// asks for `originalText` lines gets suggestions for the document in its user message. A turn that carries
/// tool results gets a short closing answer.
enum FakeDocuments {
    struct Request {
        let lastUserText: String
        let offersTools: Bool
        let system: String
        let endsWithToolResult: Bool
    }

    static func request(_ body: [UInt8]) -> Request? {
        guard case .object(let root)? = JSONValue(jsonText: String(decoding: body, as: UTF8.self)), case .array(let messages)? = root["messages"] else {
            return nil
        }
        var system = ""
        if case .array(let blocks)? = root["system"] {
            system = blocks.compactMap { if case .object(let members) = $0, case .string(let text)? = members["text"] { text } else { nil } }.joined(separator: "\n")
        }
        var endsWithToolResult = false
        if case .object(let last)? = messages.last, case .array(let content)? = last["content"] {
            endsWithToolResult = content.contains { if case .object(let members) = $0 { members["toolResult"] != nil } else { false } }
        }
        return Request(lastUserText: FakeEcho.lastUserText(body), offersTools: root["toolConfig"] != nil, system: system, endsWithToolResult: endsWithToolResult)
    }

    /// The scenario for a document directive or follow-up call; nil when the request is none of these.
    static func scenario(for body: [UInt8]) -> FakeScenario? {
        guard let request = self.request(body) else { return nil }
        if request.endsWithToolResult {
            return .reply(FakeReply.text("Done. The document is in the panel.", chunk: 6))
        }
        if !request.offersTools, request.system.contains("originalText") {
            return .reply(FakeReply.text(self.suggestions(for: request.lastUserText), chunk: 12))
        }
        let text = request.lastUserText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("fake:document") || text.hasPrefix("fake:update:") || text.hasPrefix("fake:suggest:") else { return nil }
        let directive = String(text.prefix { !$0.isWhitespace })
        if !request.offersTools {
            // The writer call; any other call without tools (a title) is not ours.
            guard request.system.contains("content of a document") else { return nil }
            if directive.hasPrefix("fake:document-slow:") {
                let kind = String(directive.dropFirst("fake:document-slow:".count))
                let lines = (1...600).map { FakeDelta.text(kind == "sheet" ? "row\($0),\($0)\n" : "Line \($0) of a slow document.\n") }
                return .reply(FakeReply(deltas: [.text(kind == "sheet" ? "name,value\n" : "# Slow\n\n")] + lines, eventDelay: .milliseconds(100)))
            }
            return .reply(FakeReply.text(self.content(for: directive), chunk: 10))
        }
        let call: (String, String)
        if directive == "fake:document-bad" {
            call = ("createDocument", #"{"title":"Broken","kind":"video"}"#)
        } else if directive.hasPrefix("fake:document:") || directive.hasPrefix("fake:document-slow:") {
            let kind = String(directive.split(separator: ":").last ?? "text")
            call = ("createDocument", #"{"title":"A fake \#(kind) document","kind":"\#(kind)"}"#)
        } else if directive.hasPrefix("fake:update:") {
            call = ("updateDocument", #"{"id":"\#(directive.dropFirst("fake:update:".count))","description":"Add a closing line."}"#)
        } else {
            call = ("requestSuggestions", #"{"documentId":"\#(directive.dropFirst("fake:suggest:".count))"}"#)
        }
        let middle = call.1.index(call.1.startIndex, offsetBy: call.1.count / 2)
        return .reply(FakeReply(
            deltas: [.text("Let me write that."), .toolUse(id: "tooluse_\(UUID().uuidString.prefix(8))", name: call.0, inputFragments: [String(call.1[..<middle]), String(call.1[middle...])])],
            stopReason: "tool_use"))
    }

    static func content(for directive: String) -> String {
        if directive.hasPrefix("fake:update:") {
            return "# A fake text document\n\nThe fake Bedrock server wrote this. It has two sentences.\n\nThis closing line was added on request.\n"
        }
        switch directive.dropFirst("fake:document:".count) {
        case "code": return "def greet(name):\n    return f\"Hello, {name}!\"\n\nprint(greet(\"world\"))\n"
        case "sheet": return "name,score\nAda,91\nGrace,88\n\"Hopper, G.\",95\n"
        default: return "# A fake text document\n\nThe fake Bedrock server wrote this. It has two sentences.\n"
        }
    }

    /// Up to two suggestions on sentences of the document (the lines after the first, headings left out).
    static func suggestions(for userText: String) -> String {
        let lines = userText.components(separatedBy: "\n").dropFirst().filter { !$0.hasPrefix("#") }
        let sentences = lines.flatMap { $0.components(separatedBy: ". ") }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.count > 8 && !$0.hasPrefix("#") && !$0.contains("\n") && !$0.contains("\"") && !$0.contains("\\") }
        return sentences.prefix(2).map { sentence in
            #"{"originalText": "\#(sentence)", "suggestedText": "\#(sentence), indeed", "description": "Add emphasis."}"#
        }.joined(separator: "\n") + "\n"
    }
}
