import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Whether each offered model can answer now. A model whose server is still being prepared (the local model while
/// `scripts/run` compiles llama.cpp and loads it) is `installing` until its server's `GET /v1/models` answers 200;
/// then it is `ready` for good, without a restart. Models not being prepared are always `ready`.
///
/// The first success is final: a server that goes away later fails calls as any provider outage does (a network
/// error), it is not "installing" again.
public final class ModelAvailability: Sendable {
    public enum Status: String, Sendable, Codable, Equatable {
        case ready
        /// The model's server is being installed or started; calls to the model are refused with `.modelNotReady`.
        case installing
    }

    /// Catalog id → the URL whose 200 means the model's server answers (`{base}/v1/models`); only models being prepared.
    let probes: [String: String]
    let preparing: Mutex<Set<String>>
    /// What the probes go through.
    let httpClient: HTTPClient?

    /// `preparing`: catalog id → the OpenAI-compatible base URL of each model whose server is still being prepared.
    public init(preparing: [String: String], httpClient: HTTPClient) {
        self.probes = preparing.mapValues(Self.modelsURL)
        self.preparing = Mutex(Set(preparing.keys))
        self.httpClient = httpClient
    }

    init() {
        self.probes = [:]
        self.preparing = Mutex([])
        self.httpClient = nil
    }

    /// Every model ready (nothing to watch).
    public static let allReady = ModelAvailability()

    public func status(of modelID: String) -> Status {
        self.preparing.withLock { $0.contains(modelID) } ? .installing : .ready
    }

    /// Whether any model is still being prepared.
    public var isPreparing: Bool { self.preparing.withLock { !$0.isEmpty } }

    /// Probes a model's server once (a model not being prepared is ready); marks it ready when the server answers.
    @discardableResult
    public func probe(_ modelID: String, timeout: Duration = .seconds(2)) async -> Status {
        guard self.status(of: modelID) == .installing, let url = self.probes[modelID] else { return .ready }
        guard let httpClient = self.httpClient else { return .installing }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(timeout.components.seconds))
            _ = try? await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else { return .installing }
        } catch {
            return .installing
        }
        self.preparing.withLock { _ = $0.remove(modelID) }
        return .ready
    }

    /// Refuses a call to a model still being prepared with `.modelNotReady` and a message that says so; probes first,
    /// so a call right after the server came up is not refused for want of the next scheduled probe.
    public func requireReady(_ modelID: String) async throws(ModelError) {
        guard self.status(of: modelID) == .installing, await self.probe(modelID) == .installing else { return }
        throw Self.notReady(modelID)
    }

    /// Probes every model being prepared until all answer, waiting `initialDelay` after the first round and doubling
    /// it up to `maxDelay`. Returns when all are ready, or when the task is cancelled.
    public func watch(initialDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(2)) async {
        var delay = initialDelay
        while !Task.isCancelled {
            let pending = self.preparing.withLock { $0 }
            if pending.isEmpty { return }
            for id in pending { await self.probe(id) }
            if !self.isPreparing { return }
            do { try await Task.sleep(for: delay) } catch { return }
            delay = min(delay * 2, maxDelay)
        }
    }

    /// The error a call to a model still being prepared gets (a 503 with a Retry-After in the API).
    public static func notReady(_ modelID: String) -> ModelError {
        ModelError(
            kind: .modelNotReady,
            message: "The local model (\(modelID)) is still being prepared: it is being installed or started on this machine, which takes a few minutes the first time. Your message was not sent; send it again once the model picker no longer says \"installing\".",
            upstreamCode: "installing", isRetryable: true)
    }

    static func modelsURL(_ baseURL: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base + "/v1/models"
    }
}
