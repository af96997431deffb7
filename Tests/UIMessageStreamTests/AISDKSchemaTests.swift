import Foundation
import JSON
import Testing
import UIMessageStream

/// Every chunk the encoder can produce, checked against the AI SDK's own chunk schema
/// (tests/schemas/ai-sdk-ui-message-chunk.schema.json, its zod schema written down with the version it came
/// from), not against our decoder. tests/bedrock checks the chunks of real streams with the jsonschema
/// package; this covers the cases no stream sends yet (tool output, message metadata, transient data).
@Suite("UI message chunks against the AI SDK schema") struct AISDKSchemaTests {
    static let samples: [UIMessageChunk] = [
        .start(messageID: "m1"), .startStep,
        .textStart(id: "t0"), .textDelta(id: "t0", delta: "Hi"), .textEnd(id: "t0"),
        .reasoningStart(id: "r0"), .reasoningDelta(id: "r0", delta: "hm"), .reasoningEnd(id: "r0"),
        .toolInputStart(toolCallID: "c1", toolName: "createDocument"), .toolInputDelta(toolCallID: "c1", inputTextDelta: "{\"title\""),
        .toolInputAvailable(toolCallID: "c1", toolName: "createDocument", input: ["title": "x"]),
        .toolOutputAvailable(toolCallID: "c1", output: ["id": "d1", "kind": "text"]),
        .toolOutputError(toolCallID: "c2", errorText: "The document was not found."),
        .data(name: "chat-title", data: "A title", transient: false), .data(name: "clear", data: nil, transient: true),
        .messageMetadata(["createdAt": "2026-11-29T10:00:00Z"]),
        .finishStep, .finish(finishReason: "stop", metadata: nil), .finish(finishReason: nil, metadata: ["tokens": 3]),
        .abort, .error(text: "Model access is not enabled"),
    ]

    /// No `default`: a new chunk case does not compile here until it has a number, and the coverage test
    /// below then asks for a sample of it.
    static func caseNumber(_ chunk: UIMessageChunk) -> Int {
        switch chunk {
        case .start: 0
        case .startStep: 1
        case .textStart: 2
        case .textDelta: 3
        case .textEnd: 4
        case .reasoningStart: 5
        case .reasoningDelta: 6
        case .reasoningEnd: 7
        case .toolInputAvailable: 8
        case .toolOutputAvailable: 9
        case .data: 10
        case .messageMetadata: 11
        case .finishStep: 12
        case .finish: 13
        case .abort: 14
        case .error: 15
        case .toolInputStart: 16
        case .toolInputDelta: 17
        case .toolOutputError: 18
        }
    }
    static let caseCount = 19

    static let schema: JSONValue = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tests/schemas/ai-sdk-ui-message-chunk.schema.json")
        return (try? JSONValue(parsing: String(contentsOf: url, encoding: .utf8))) ?? .null
    }()

    @Test("the samples cover every chunk case")
    func samplesCoverEveryCase() {
        #expect(Set(Self.samples.map(Self.caseNumber)) == Set(0..<Self.caseCount))
    }

    @Test("every chunk case encodes to exactly one AI SDK chunk type", arguments: samples)
    func matchesExactlyOneType(chunk: UIMessageChunk) throws {
        let check = try SchemaCheck(Self.schema)
        let matches = check.matchingBranches(chunk.json)
        #expect(matches.count == 1, "\(chunk.json.jsonString): \(matches.count) branches match; \(check.closestErrors(chunk.json))")
    }

    @Test("the check refuses what the AI SDK refuses")
    func refusesWhatTheSDKRefuses() throws {
        let check = try SchemaCheck(Self.schema)
        let refused: [JSONValue] = [
            ["type": "text-delta", "id": "t1"],  // delta is required
            ["type": "text-delta", "id": "t1", "delta": "a", "extra": 1],  // strict objects
            ["type": "finish", "finishReason": "done"],  // not in the enum
            ["type": "abort", "reason": "user"],  // 6.0.0-beta.103 has no reason (a later commit adds an optional one)
            ["type": "text-chunk", "id": "t1"],  // no such type
            ["type": "data-x"],  // data is required
            ["type": "start", "messageId": 1],  // a string
        ]
        for value in refused {
            #expect(check.matchingBranches(value).isEmpty, "\(value.jsonString)")
        }
        #expect(check.matchingBranches(["type": "abort"]).count == 1)
    }
}

/// The JSON Schema 2020-12 keywords the chunk schema uses, with their standard meaning. Any other keyword
/// is an error, so a schema that grows cannot pass by being half read.
struct SchemaCheck {
    let branches: [JSONValue]
    let definitions: [String: JSONValue]

    init(_ schema: JSONValue) throws {
        guard case .array(let branches)? = schema["oneOf"], !branches.isEmpty else {
            throw SchemaError("the chunk schema has no oneOf: is tests/schemas/ai-sdk-ui-message-chunk.schema.json readable?")
        }
        self.branches = branches
        if case .object(let definitions)? = schema["$defs"] { self.definitions = definitions } else { self.definitions = [:] }
    }

    func matchingBranches(_ value: JSONValue) -> [JSONValue] {
        self.branches.filter { self.errors(value, $0, at: "").isEmpty }
    }

    /// The errors against the branch whose `type` matches, to say why a chunk was refused.
    func closestErrors(_ value: JSONValue) -> [String] {
        let branch = self.branches.first { branch in self.errors(value["type"] ?? .null, branch["properties"]?["type"] ?? .null, at: "").isEmpty }
        return branch.map { self.errors(value, $0, at: "") } ?? ["no chunk type \(value["type"]?.jsonString ?? "(none)")"]
    }

    func errors(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        guard case .object(let keywords) = schema else { return ["\(path): the schema is not an object"] }
        var errors: [String] = []
        let members: [String: JSONValue]? = if case .object(let members) = value { members } else { nil }
        for (keyword, argument) in keywords {
            switch keyword {
            case "$comment", "title", "description":
                break
            case "$ref":
                let prefix = "#/$defs/"
                guard let reference = argument.stringValue, reference.hasPrefix(prefix),
                    let target = self.definitions[String(reference.dropFirst(prefix.count))]
                else {
                    errors.append("\(path): unresolved $ref \(argument.jsonString)")
                    continue
                }
                errors += self.errors(value, target, at: path)
            case "type":
                if !Self.has(type: argument.stringValue ?? "", value) { errors.append("\(path): not of type \(argument.jsonString)") }
            case "const":
                if value != argument { errors.append("\(path): not \(argument.jsonString)") }
            case "enum":
                if !(argument.arrayValue ?? []).contains(value) { errors.append("\(path): not one of \(argument.jsonString)") }
            case "pattern":
                guard let pattern = argument.stringValue, let expression = try? Regex(pattern) else {
                    errors.append("\(path): bad pattern \(argument.jsonString)")
                    continue
                }
                if let string = value.stringValue, string.firstMatch(of: expression) == nil { errors.append("\(path): does not match \(pattern)") }
            case "properties":
                guard case .object(let properties) = argument, let members else { continue }
                for (name, member) in members {
                    if let property = properties[name] { errors += self.errors(member, property, at: path + "/" + name) }
                }
            case "required":
                guard let members else { continue }
                for name in (argument.arrayValue ?? []).compactMap(\.stringValue) where members[name] == nil {
                    errors.append("\(path): \(name) is required")
                }
            case "additionalProperties":
                guard let members else { continue }
                var known: Set<String> = []
                if case .object(let properties)? = schema["properties"] { known = Set(properties.keys) }
                for (name, member) in members where !known.contains(name) {
                    if argument == .bool(false) {
                        errors.append("\(path): \(name) is not allowed")
                    } else if argument != .bool(true) {
                        errors += self.errors(member, argument, at: path + "/" + name)
                    }
                }
            default:
                errors.append("\(path): keyword \(keyword) is not understood by this check")
            }
        }
        return errors
    }

    static func has(type: String, _ value: JSONValue) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("integer", .int): true
        case ("number", .int), ("number", .double): true
        default: false
        }
    }
}

struct SchemaError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
