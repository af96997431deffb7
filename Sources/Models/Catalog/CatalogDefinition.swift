import Foundation

/// A catalog file (catalog/models.json's schema): the models in display order and the default chat and title models.
public struct CatalogDefinition: Sendable, Equatable {
    public var models: [CatalogModel]
    public var defaultChatModel: String
    public var titleModel: String

    public init(models: [CatalogModel], defaultChatModel: String, titleModel: String) {
        self.models = models
        self.defaultChatModel = defaultChatModel
        self.titleModel = titleModel
    }

    /// catalog/models.json as compiled in (see scripts/gen-catalog); a test keeps the two identical.
    public static let builtIn: CatalogDefinition = {
        do {
            return try CatalogDefinition(json: Data(BuiltInCatalog.json.utf8), origin: "built-in catalog")
        } catch {
            preconditionFailure("\(error)")
        }
    }()

    /// Parses and validates a catalog file.
    ///
    /// - Throws: `CatalogFileError` naming the entry (`models[3]`, with its id when known) and the field.
    public init(json data: Data, origin: String) throws(CatalogFileError) {
        let root: [String: RawJSON]
        do {
            guard case .object(let object) = try JSONDecoder().decode(RawJSON.self, from: data) else {
                throw CatalogFileError(origin: origin, message: "must be a JSON object with \"models\"")
            }
            root = object
        } catch let error as CatalogFileError {
            throw error
        } catch {
            throw CatalogFileError(origin: origin, message: "is not valid JSON (\(error))")
        }
        let fields = FieldReader(object: root, origin: origin, entry: nil)
        try fields.allow(["$comment", "schemaVersion", "checked", "defaultChatModel", "titleModel", "models"])
        let version = try fields.int("schemaVersion")
        guard version == 1 else { throw fields.error("schemaVersion", "must be 1 (got \(version))") }
        _ = try fields.optionalString("checked")
        guard case .array(let rawModels) = root["models"], !rawModels.isEmpty else {
            throw fields.error("models", "must be a non-empty array of model entries")
        }
        var models: [CatalogModel] = []
        for (index, raw) in rawModels.enumerated() {
            let label = "models[\(index)]"
            guard case .object(let object) = raw else { throw CatalogFileError(origin: origin, entry: label, message: "must be an object") }
            let entry = try Self.model(object, origin: origin, label: label)
            if models.contains(where: { $0.id == entry.id }) {
                throw CatalogFileError(origin: origin, entry: label, field: "id", message: "repeats \(entry.id)")
            }
            models.append(entry)
        }
        for name in ["defaultChatModel", "titleModel"] {
            let id = try fields.string(name)
            guard models.contains(where: { $0.id == id }) else { throw fields.error(name, "names \(id), which is not in \"models\"") }
        }
        self.init(models: models, defaultChatModel: try fields.string("defaultChatModel"), titleModel: try fields.string("titleModel"))
    }

    static func model(_ object: [String: RawJSON], origin: String, label: String) throws(CatalogFileError) -> CatalogModel {
        var fields = FieldReader(object: object, origin: origin, entry: label)
        if case .string(let id) = object["id"] { fields.entry = "\(label) (\(id))" }
        try fields.allow([
            "id", "foundationModel", "name", "description", "provider", "reasoning", "tools", "vision", "documents", "contextWindow", "maxOutputTokens", "source",
        ])
        let id = try fields.string("id")
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || "-:._/".contains($0) }) else {
            throw fields.error("id", "may hold letters, digits and - : . _ / only (got \(id))")
        }
        let provider = try fields.enumeration("provider", ProviderKind.self)
        let foundationModel = try fields.optionalString("foundationModel")
        if provider == .bedrock, foundationModel == nil {
            throw fields.error("foundationModel", "is required for Bedrock models (the foundation model id the IAM policy grants)")
        }
        let reasoning = try fields.enumeration("reasoning", ReasoningStyle.self)
        let capabilities = ModelCapabilities(
            tools: try fields.bool("tools"), reasoning: reasoning != .none, vision: try fields.bool("vision"),
            documents: try fields.optionalBool("documents") ?? false, contextWindow: try fields.positiveInt("contextWindow"), maxOutputTokens: try fields.positiveInt("maxOutputTokens"))
        _ = try fields.optionalString("source")
        return CatalogModel(
            id: id, name: try fields.string("name"), description: try fields.string("description", allowEmpty: true), provider: provider,
            capabilities: capabilities, foundationModel: foundationModel, reasoningStyle: reasoning)
    }
}

/// A catalog file that does not validate; the message names the file, the entry and the field.
public struct CatalogFileError: Error, CustomStringConvertible, Equatable {
    public var origin: String
    public var entry: String?
    public var field: String?
    public var message: String

    public init(origin: String, entry: String? = nil, field: String? = nil, message: String) {
        self.origin = origin
        self.entry = entry
        self.field = field
        self.message = message
    }

    public var description: String {
        var where_ = self.origin
        if let entry = self.entry { where_ += ", \(entry)" }
        if let field = self.field { where_ += ", field \"\(field)\"" }
        return "\(where_): \(self.message)"
    }
}

/// Any JSON value; booleans stay apart from numbers so a `1` is not taken for `true`.
enum RawJSON: Decodable {
    case null, bool(Bool), number(Double), string(String), array([RawJSON]), object([String: RawJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([RawJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: RawJSON].self))
        }
    }
}

/// Typed reads of one JSON object's fields, with errors that say where.
struct FieldReader {
    let object: [String: RawJSON]
    let origin: String
    var entry: String?

    func error(_ field: String, _ message: String) -> CatalogFileError {
        CatalogFileError(origin: self.origin, entry: self.entry, field: field, message: message)
    }

    func allow(_ known: Set<String>) throws(CatalogFileError) {
        if let unknown = self.object.keys.sorted().first(where: { !known.contains($0) }) {
            throw self.error(unknown, "is not a known field (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ field: String, allowEmpty: Bool = false) throws(CatalogFileError) -> String {
        guard let value = self.object[field] else { throw self.error(field, "is missing") }
        guard case .string(let text) = value else { throw self.error(field, "must be a string") }
        guard allowEmpty || !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw self.error(field, "must not be empty") }
        return text
    }

    func optionalString(_ field: String) throws(CatalogFileError) -> String? {
        self.object[field] == nil ? nil : try self.string(field)
    }

    func bool(_ field: String) throws(CatalogFileError) -> Bool {
        guard let value = self.object[field] else { throw self.error(field, "is missing") }
        guard case .bool(let flag) = value else { throw self.error(field, "must be true or false") }
        return flag
    }

    func optionalBool(_ field: String) throws(CatalogFileError) -> Bool? {
        self.object[field] == nil ? nil : try self.bool(field)
    }

    func int(_ field: String) throws(CatalogFileError) -> Int {
        guard let value = self.object[field] else { throw self.error(field, "is missing") }
        guard case .number(let number) = value, let int = Int(exactly: number) else { throw self.error(field, "must be an integer") }
        return int
    }

    func positiveInt(_ field: String) throws(CatalogFileError) -> Int {
        let value = try self.int(field)
        guard value > 0 else { throw self.error(field, "must be a positive integer (got \(value))") }
        return value
    }

    func enumeration<T: RawRepresentable & CaseIterable>(_ field: String, _ type: T.Type) throws(CatalogFileError) -> T where T.RawValue == String {
        let raw = try self.string(field)
        guard let value = T(rawValue: raw) else {
            throw self.error(field, "must be one of \(T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")) (got \"\(raw)\")")
        }
        return value
    }
}
