/// Configuration of the catalog: a plain value, filled by the app's composition root.
public struct CatalogSettings: Sendable, Equatable {
    /// Only these ids are offered (in catalog order); `nil` offers every model.
    public var allowList: [String]?
    /// The default chat model; `nil` for the catalog file's.
    public var defaultChatModel: String?
    /// The model that writes chat titles; `nil` for the catalog file's.
    public var titleModel: String?
    /// Extra models (e.g. a local OpenAI-compatible one), appended to the catalog file's list.
    public var additionalModels: [CatalogModel]

    public init(allowList: [String]? = nil, defaultChatModel: String? = nil, titleModel: String? = nil, additionalModels: [CatalogModel] = []) {
        self.allowList = allowList
        self.defaultChatModel = defaultChatModel
        self.titleModel = titleModel
        self.additionalModels = additionalModels
    }
}

/// The models users may pick, as data, with the default chat and title models.
public struct ModelCatalog: Sendable, Equatable {
    /// The offered models, in display order.
    public private(set) var models: [CatalogModel]
    /// The model a new chat starts with.
    public private(set) var defaultChatModel: String
    /// The model that writes titles.
    public private(set) var titleModel: String
    /// Settings that could not be honoured (an unknown id in the allow-list, …), for the startup log.
    public private(set) var warnings: [String] = []

    /// Builds the catalog from a catalog file (the built-in one unless MODELS_FILE names another) and the settings.
    ///
    /// A default or title model that is not offered falls back to the file's default if offered, else to the first
    /// model, with a warning: the app should start, and say what it changed.
    public init(definition: CatalogDefinition = .builtIn, settings: CatalogSettings = CatalogSettings()) {
        var all = definition.models
        for extra in settings.additionalModels {
            all.removeAll { $0.id == extra.id }
            all.append(extra)
        }
        var warnings: [String] = []
        if let allow = settings.allowList {
            for id in allow where !all.contains(where: { $0.id == id }) {
                warnings.append("allow-list names \(id), which is not in the catalog")
            }
            all = all.filter { allow.contains($0.id) }
        }
        if all.isEmpty {
            warnings.append("the allow-list leaves no model; offering the whole catalog")
            all = definition.models
        }
        func pick(_ wanted: String?, _ fileDefault: String, _ what: String) -> String {
            let choice = wanted ?? fileDefault
            if all.contains(where: { $0.id == choice }) { return choice }
            let fallback = all.contains(where: { $0.id == definition.defaultChatModel }) ? definition.defaultChatModel : all[0].id
            warnings.append("\(what) \(choice) is not offered; using \(fallback)")
            return fallback
        }
        self.models = all
        self.defaultChatModel = pick(settings.defaultChatModel, definition.defaultChatModel, "default chat model")
        self.titleModel = pick(settings.titleModel, definition.titleModel, "title model")
        self.warnings = warnings
    }

    /// The entry for an id, `nil` if not offered.
    public func model(id: String) -> CatalogModel? {
        self.models.first { $0.id == id }
    }

    public func contains(_ id: String) -> Bool {
        self.model(id: id) != nil
    }
}
