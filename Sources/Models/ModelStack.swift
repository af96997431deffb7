import AsyncHTTPClient
import Bedrock

/// The catalog, the providers and the router, built from an injected environment: what the app and the CLI need.
public struct ModelStack: Sendable {
    public let catalog: ModelCatalog
    /// Dispatches by provider.
    public let router: ModelRouter
    /// The Bedrock client (for its credential source and endpoint).
    public let bedrock: BedrockClient
    /// Which models are still being prepared (the local model during `scripts/run`'s first run).
    public var availability: ModelAvailability { self.router.availability }

    /// Builds everything from parsed configuration: the Bedrock client's region, endpoint and API key, and the
    /// environment the AWS credential chain reads (AWS's own variables only, as the AWS SDKs do).
    ///
    /// Title requests (`ModelRequest.purpose == .title`) go through `titleHTTPClient` when given, so they cannot take
    /// the connections answers need.
    public init(
        bedrock configuration: BedrockClientConfiguration, credentialEnvironment: [String: String], httpClient: HTTPClient,
        definition: CatalogDefinition = .builtIn, catalogSettings: CatalogSettings = CatalogSettings(),
        openAI: OpenAICompatibleLanguageModel.Configuration? = nil, titleHTTPClient: HTTPClient? = nil,
        availability: ModelAvailability = .allReady
    ) {
        let credentials = CachingCredentialProvider(chain: .default(environment: credentialEnvironment, httpClient: httpClient))
        let catalog = ModelCatalog(definition: definition, settings: catalogSettings)
        let bedrock = BedrockClient(configuration: configuration, credentials: credentials, httpClient: httpClient)
        func providers(on client: HTTPClient) -> [ProviderKind: any LanguageModel] {
            var providers: [ProviderKind: any LanguageModel] = [
                .bedrock: BedrockLanguageModel(client: BedrockClient(configuration: configuration, credentials: credentials, httpClient: client), catalog: catalog)
            ]
            if let openAI {
                providers[.openAICompatible] = OpenAICompatibleLanguageModel(configuration: openAI, httpClient: client)
            }
            return providers
        }
        self.catalog = catalog
        self.bedrock = bedrock
        self.router = ModelRouter(
            catalog: catalog, providers: providers(on: httpClient), titleProviders: titleHTTPClient.map { providers(on: $0) } ?? [:],
            availability: availability)
    }

    /// A convenience that reads the Bedrock settings from an environment (tests, tools).
    public init(
        environment: [String: String], httpClient: HTTPClient, definition: CatalogDefinition = .builtIn, catalogSettings: CatalogSettings = CatalogSettings(),
        openAI: OpenAICompatibleLanguageModel.Configuration? = nil, retry: RetryPolicy = RetryPolicy(), timeouts: BedrockTimeouts = BedrockTimeouts(),
        titleHTTPClient: HTTPClient? = nil
    ) throws {
        var configuration = try BedrockClientConfiguration.fromEnvironment(environment)
        configuration.retry = retry
        configuration.timeouts = timeouts
        self.init(
            bedrock: configuration, credentialEnvironment: environment, httpClient: httpClient, definition: definition, catalogSettings: catalogSettings,
            openAI: openAI, titleHTTPClient: titleHTTPClient)
    }

    /// Finds credentials, then probes every model; for `chatbot doctor` (which adds its own database check).
    public func doctor(probeTimeout: Duration = .seconds(30)) async -> DoctorReport {
        var checks: [(String, String)] = [("endpoint", "\(self.bedrock.configuration.endpoint) (region \(self.bedrock.configuration.region))")]
        if let key = self.bedrock.configuration.apiKey {
            checks.append(("credentials", "found: \(key) instead of AWS credentials"))
        } else {
            do {
                let resolved = try await self.bedrock.credentials.resolved()
                checks.append(("credentials", "found: \(resolved.source)"))
            } catch {
                checks.append(("credentials", "MISSING: \(ModelError.wrap(error))"))
            }
        }
        let results = await ModelProbe(model: self.router, catalog: self.catalog, timeout: probeTimeout).probeAll()
        return DoctorReport(checks: checks, models: results)
    }
}
