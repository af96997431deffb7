import Foundation
import JSON
import Logging
import Models
import Storage
import UIMessageStream

/// A tool the model may call during an answer. `run` gets the parsed input object; what it returns goes to the
/// model and to the client as the tool's output. A `ToolFailure` (or any other error) becomes an error result
/// the model sees, never a failed answer.
public protocol ChatTool: Sendable {
    var spec: ToolSpec { get }
    func run(_ input: JSONValue, context: ToolContext) async throws -> JSONValue
}

/// A failure the model should read: bad input, a document that is not there.
public struct ToolFailure: Error, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// What a running tool may use: who asked, in which chat, with which model; the conversation so far; the
/// documents; and the answer's stream, for data parts.
public struct ToolContext: Sendable {
    public let userID: UUID
    public let chatID: UUID
    public let modelID: String
    public let maxOutputTokens: Int?
    /// The answer's conversation up to the user's message, for tools that ask the model again.
    public let conversation: [ModelMessage]
    let model: any LanguageModel
    let documents: any DocumentStore
    let writer: RunWriter
    let logger: Logger

    /// Sends a transient `data-<name>` part: shown live (and on resume), not stored in the message.
    public func send(_ name: String, _ data: JSONValue) async {
        await self.writer.emit(.data(name: name, data: data, transient: true))
    }
}

extension JSONValue {
    /// The member `key` as a non-blank string, or a `ToolFailure` naming the field.
    func requiredString(_ key: String, tool: String) throws -> String {
        guard let value = self[key]?.stringValue, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ToolFailure("\(tool) needs \"\(key)\" as a non-empty string.")
        }
        return value
    }

    func requiredUUID(_ key: String, tool: String) throws -> UUID {
        let raw = try self.requiredString(key, tool: tool)
        guard let id = UUID(uuidString: raw.trimmingCharacters(in: .whitespaces)) else {
            throw ToolFailure("\(tool) needs \"\(key)\" as a document id (a UUID), not \"\(TextLimit.prefix(raw, 60, suffix: "…"))\".")
        }
        return id
    }
}
