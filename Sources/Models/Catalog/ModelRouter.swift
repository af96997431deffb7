/// A `LanguageModel` that sends each request to the provider the catalog names for its model.
public struct ModelRouter: LanguageModel {
    public let catalog: ModelCatalog
    let providers: [ProviderKind: any LanguageModel]
    let titleProviders: [ProviderKind: any LanguageModel]
    /// Models still being prepared fail with `.modelNotReady` (not the network error their absent server would give).
    public let availability: ModelAvailability

    /// Creates a router; a provider kind without a provider makes its models fail with `.unavailable`.
    /// Title requests go to `titleProviders` when given (their own connection pool), else to `providers`.
    public init(
        catalog: ModelCatalog, providers: [ProviderKind: any LanguageModel], titleProviders: [ProviderKind: any LanguageModel] = [:],
        availability: ModelAvailability = .allReady
    ) {
        self.catalog = catalog
        self.providers = providers
        self.titleProviders = titleProviders
        self.availability = availability
    }

    /// Streams from the model's provider; an id outside the catalog fails with `.modelNotFound`.
    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        guard let model = self.catalog.model(id: request.modelID) else {
            return Self.failing(
                ModelError(kind: .modelNotFound, message: "Model \(request.modelID) is not in this server's catalog. Pick one of: "
                    + self.catalog.models.map(\.id).joined(separator: ", ") + "."))
        }
        if self.availability.status(of: model.id) == .installing {
            return Self.failing(ModelAvailability.notReady(model.id))
        }
        let forTitle = request.purpose == .title ? self.titleProviders[model.provider] : nil
        guard let provider = forTitle ?? self.providers[model.provider] else {
            return Self.failing(
                ModelError(kind: .unavailable, message: "No \(model.provider.rawValue) provider is configured for \(model.name) (\(model.id))."))
        }
        var resolved = request
        resolved.catalogEntry = model
        return provider.stream(resolved)
    }

    static func failing(_ error: ModelError) -> AsyncThrowingStream<ModelEvent, any Error> {
        AsyncThrowingStream { $0.finish(throwing: error) }
    }
}
