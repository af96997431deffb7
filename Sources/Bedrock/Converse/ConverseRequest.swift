/// The body of `Converse` and `ConverseStream` (the model id goes in the URI).
///
/// Optional members are omitted when `nil`, never sent as `null`: the synthesized
/// `Encodable` conformance uses `encodeIfPresent` for optionals.
public struct ConverseRequest: Sendable, Equatable, Codable {
    /// The conversation, starting with a user turn and alternating.
    public var messages: [Message]
    /// System prompts and cache points.
    public var system: [SystemContentBlock]?
    /// Token limit, temperature, topP, stop sequences.
    public var inferenceConfig: InferenceConfiguration?
    /// The tools the model may call.
    public var toolConfig: ToolConfiguration?
    /// Model-specific fields passed through as is, e.g. Claude's `reasoning_config`.
    public var additionalModelRequestFields: JSONValue?

    public init(
        messages: [Message], system: [SystemContentBlock]? = nil, inferenceConfig: InferenceConfiguration? = nil,
        toolConfig: ToolConfiguration? = nil, additionalModelRequestFields: JSONValue? = nil
    ) {
        self.messages = messages
        self.system = system
        self.inferenceConfig = inferenceConfig
        self.toolConfig = toolConfig
        self.additionalModelRequestFields = additionalModelRequestFields
    }
}

/// `Message {role, content}`.
public struct Message: Sendable, Equatable, Codable {
    /// `user` or `assistant`.
    public var role: String
    public var content: [ContentBlock]

    public init(role: String, content: [ContentBlock]) {
        self.role = role
        self.content = content
    }
}

/// A `SystemContentBlock`: text or a cache point.
public enum SystemContentBlock: Sendable, Equatable, Codable {
    /// A system prompt (must not be empty).
    case text(String)
    /// A prompt-cache checkpoint.
    case cachePoint

    enum Key: String, CodingKey { case text, cachePoint }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .text(let text): try container.encode(text, forKey: .text)
        case .cachePoint: try container.encode(CachePoint(), forKey: .cachePoint)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .text) {
            self = .text(text)
        } else {
            _ = try container.decode(CachePoint.self, forKey: .cachePoint)
            self = .cachePoint
        }
    }
}

/// `inferenceConfig`.
public struct InferenceConfiguration: Sendable, Equatable, Codable {
    /// The most tokens to generate (≥ 1).
    public var maxTokens: Int?
    /// Sampling temperature, 0…1.
    public var temperature: Double?
    /// Nucleus sampling, 0…1.
    public var topP: Double?
    public var stopSequences: [String]?

    public init(maxTokens: Int? = nil, temperature: Double? = nil, topP: Double? = nil, stopSequences: [String]? = nil) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.stopSequences = stopSequences
    }
}

/// `toolConfig {tools, toolChoice?}`.
public struct ToolConfiguration: Sendable, Equatable, Codable {
    /// At least one tool.
    public var tools: [Tool]
    /// `auto`, `any` or a named tool.
    public var toolChoice: ToolChoice?

    public init(tools: [Tool], toolChoice: ToolChoice? = nil) {
        self.tools = tools
        self.toolChoice = toolChoice
    }
}

/// A `Tool` union: a tool spec or a cache point.
public enum Tool: Sendable, Equatable, Codable {
    /// `toolSpec {name, description?, inputSchema: {json}}`.
    case spec(name: String, description: String?, inputSchema: JSONValue)
    /// A prompt-cache checkpoint after the tools.
    case cachePoint

    enum Key: String, CodingKey { case toolSpec, cachePoint }
    struct Spec: Codable {
        var name: String
        var description: String?
        var inputSchema: Schema
    }
    struct Schema: Codable { var json: JSONValue }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .spec(let name, let description, let schema):
            try container.encode(Spec(name: name, description: description, inputSchema: Schema(json: schema)), forKey: .toolSpec)
        case .cachePoint:
            try container.encode(CachePoint(), forKey: .cachePoint)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let spec = try container.decodeIfPresent(Spec.self, forKey: .toolSpec) {
            self = .spec(name: spec.name, description: spec.description, inputSchema: spec.inputSchema.json)
        } else {
            _ = try container.decode(CachePoint.self, forKey: .cachePoint)
            self = .cachePoint
        }
    }
}

/// The `toolChoice` union.
public enum ToolChoice: Sendable, Equatable, Codable {
    /// The model decides.
    case auto
    /// The model must call some tool.
    case any
    /// The model must call this tool.
    case tool(String)

    enum Key: String, CodingKey { case auto, any, tool }
    struct Empty: Codable {}
    struct Named: Codable { var name: String }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .auto: try container.encode(Empty(), forKey: .auto)
        case .any: try container.encode(Empty(), forKey: .any)
        case .tool(let name): try container.encode(Named(name: name), forKey: .tool)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let named = try container.decodeIfPresent(Named.self, forKey: .tool) {
            self = .tool(named.name)
        } else if container.contains(.any) {
            self = .any
        } else {
            self = .auto
        }
    }
}
