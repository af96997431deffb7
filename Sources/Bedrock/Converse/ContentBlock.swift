import Foundation

/// A Bedrock `ContentBlock` union: exactly one member is set on the wire.
public enum ContentBlock: Sendable, Equatable, Codable {
    case text(String)
    /// A tool call the model made.
    case toolUse(ToolUseBlock)
    /// The result of a tool call, sent back by the user turn.
    case toolResult(ToolResultBlock)
    /// The model's reasoning, replayed verbatim (with its signature) on later turns.
    case reasoning(ReasoningContentBlock)
    /// A prompt-cache checkpoint: everything before it may be cached.
    case cachePoint
    /// An image with its bytes.
    case image(ImageBlock)
    /// A document with its name and bytes.
    case document(DocumentBlock)
    /// A member this client does not model (video, audio, …), kept so responses still decode.
    case other(key: String, value: JSONValue)

    enum Key: String, CodingKey {
        case text, toolUse, toolResult, reasoningContent, cachePoint, image, document
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .text(let text):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(text, forKey: .text)
        case .toolUse(let block):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(block, forKey: .toolUse)
        case .toolResult(let block):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(block, forKey: .toolResult)
        case .reasoning(let block):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(block, forKey: .reasoningContent)
        case .cachePoint:
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(CachePoint(), forKey: .cachePoint)
        case .image(let block):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(block, forKey: .image)
        case .document(let block):
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(block, forKey: .document)
        case .other(let key, let value):
            try JSONValue.object([key: value]).encode(to: encoder)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .text) {
            self = .text(text)
        } else if let block = try container.decodeIfPresent(ToolUseBlock.self, forKey: .toolUse) {
            self = .toolUse(block)
        } else if let block = try container.decodeIfPresent(ToolResultBlock.self, forKey: .toolResult) {
            self = .toolResult(block)
        } else if let block = try container.decodeIfPresent(ReasoningContentBlock.self, forKey: .reasoningContent) {
            self = .reasoning(block)
        } else if container.contains(.cachePoint) {
            self = .cachePoint
        } else if let block = try? container.decodeIfPresent(ImageBlock.self, forKey: .image) {
            self = .image(block)
        } else if let block = try? container.decodeIfPresent(DocumentBlock.self, forKey: .document) {
            self = .document(block)
        } else {
            let object = try JSONValue(from: decoder)
            guard case .object(let members) = object, let first = members.first else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "empty content block"))
            }
            self = .other(key: first.key, value: first.value)
        }
    }
}

/// `{"bytes": base64}`: the one source member this client sends (S3 locations are not used).
public struct BytesSource: Sendable, Equatable, Codable {
    /// The raw bytes; JSON carries them base64-encoded.
    public var bytes: Data

    public init(bytes: Data) { self.bytes = bytes }
}

/// `image {format, source}`; format is png, jpeg, gif or webp.
public struct ImageBlock: Sendable, Equatable, Codable {
    public var format: String
    public var source: BytesSource

    public init(format: String, bytes: Data) {
        self.format = format
        self.source = BytesSource(bytes: bytes)
    }
}

/// `document {format, name, source}`; the name may hold only letters, digits, single spaces, hyphens,
/// parentheses and square brackets (1-200 characters): see `DocumentBlock.safeName`.
public struct DocumentBlock: Sendable, Equatable, Codable {
    public var format: String
    public var name: String
    public var source: BytesSource

    public init(format: String, name: String, bytes: Data) {
        self.format = format
        self.name = name
        self.source = BytesSource(bytes: bytes)
    }

    /// A name Converse accepts, made from a file name: other characters (the dot too) become spaces, runs of spaces one,
    /// at most 200 characters; `document` when nothing is left.
    public static func safeName(_ raw: String) -> String {
        var out = ""
        for scalar in raw.unicodeScalars {
            // ASCII only: whether the service counts other scripts' letters as alphanumeric is not documented.
            let ok = scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "-()[]".unicodeScalars.contains(scalar))
            let next: Character = ok ? Character(scalar) : " "
            if next == " ", out.isEmpty || out.last == " " { continue }
            out.append(next)
        }
        while out.last == " " { out.removeLast() }
        let clipped = String(out.prefix(200)).trimmingCharacters(in: .whitespaces)
        return clipped.isEmpty ? "document" : clipped
    }
}

/// `{"type": "default"}`, the only cache point kind.
struct CachePoint: Codable {
    var type = "default"
}

/// `toolUse {toolUseId, name, input}`.
public struct ToolUseBlock: Sendable, Equatable, Codable {
    /// The id that pairs the call with its result.
    public var toolUseId: String
    public var name: String
    public var input: JSONValue

    public init(toolUseId: String, name: String, input: JSONValue) {
        self.toolUseId = toolUseId
        self.name = name
        self.input = input
    }
}

/// `toolResult {toolUseId, content, status?}`.
public struct ToolResultBlock: Sendable, Equatable, Codable {
    /// The call this answers.
    public var toolUseId: String
    /// The result, as text and/or JSON members.
    public var content: [ToolResultContent]
    /// `success` or `error`; omitted when unknown.
    public var status: String?

    public init(toolUseId: String, content: [ToolResultContent], status: String? = nil) {
        self.toolUseId = toolUseId
        self.content = content
        self.status = status
    }
}

/// One member of a tool result's content: `{"text": …}` or `{"json": …}`.
public struct ToolResultContent: Sendable, Equatable, Codable {
    public var text: String?
    public var json: JSONValue?

    public static func text(_ text: String) -> Self { Self(text: text, json: nil) }
    public static func json(_ json: JSONValue) -> Self { Self(text: nil, json: json) }
}

/// `reasoningContent`: a union of `reasoningText {text, signature?}` and `redactedContent` (base64).
public enum ReasoningContentBlock: Sendable, Equatable, Codable {
    /// Visible reasoning with the signature that lets it be replayed.
    case text(String, signature: String?)
    /// Encrypted reasoning, replayed as received.
    case redacted(Data)

    enum Key: String, CodingKey { case reasoningText, redactedContent }
    struct ReasoningText: Codable {
        var text: String
        var signature: String?
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .text(let text, let signature):
            try container.encode(ReasoningText(text: text, signature: signature), forKey: .reasoningText)
        case .redacted(let data):
            try container.encode(data, forKey: .redactedContent)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let text = try container.decodeIfPresent(ReasoningText.self, forKey: .reasoningText) {
            self = .text(text.text, signature: text.signature)
        } else {
            self = .redacted(try container.decode(Data.self, forKey: .redactedContent))
        }
    }
}
