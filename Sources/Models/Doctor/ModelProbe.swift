/// Checks that models answer: a tiny request ("Reply with OK", 5 tokens) per model.
public struct ModelProbe: Sendable {
    /// The outcome for one model.
    public struct Result: Sendable {
        public var modelID: String
        public var name: String
        /// The reply text (on success).
        public var reply: String?
        /// The failure, with its fix.
        public var error: ModelError?
        /// How long the call took.
        public var elapsed: Duration

        public var ok: Bool { self.error == nil }
        /// Why not, in a word or two.
        public var verdict: InvocationVerdict { InvocationVerdict(self.error) }
    }

    let model: any LanguageModel
    let catalog: ModelCatalog
    let timeout: Duration

    /// Probes through `model` (usually the router) every model of `catalog`.
    public init(model: any LanguageModel, catalog: ModelCatalog, timeout: Duration = .seconds(30)) {
        self.model = model
        self.catalog = catalog
        self.timeout = timeout
    }

    public func probe(_ entry: CatalogModel) async -> Result {
        let request = ModelRequest(modelID: entry.id, messages: [.user("Reply with OK")], maxOutputTokens: 5, temperature: 0)
        let start = ContinuousClock.now
        let model = self.model
        let timeout = self.timeout
        do {
            let reply = try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    var text = ""
                    for try await event in model.stream(request) {
                        if case .textDelta(let delta) = event { text += delta }
                    }
                    return text
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw ModelError(kind: .timeout, message: "No answer within \(timeout).", isRetryable: true)
                }
                defer { group.cancelAll() }
                return try await group.next() ?? ""
            }
            return Result(modelID: entry.id, name: entry.name, reply: reply, error: nil, elapsed: ContinuousClock.now - start)
        } catch {
            let failure = (ModelError.wrap(error) as? ModelError) ?? ModelError(kind: .unknown, message: "\(error)")
            return Result(modelID: entry.id, name: entry.name, reply: nil, error: failure, elapsed: ContinuousClock.now - start)
        }
    }

    /// Probes every model of the catalog, two at a time, in catalog order.
    public func probeAll() async -> [Result] {
        var results: [Result] = []
        let models = self.catalog.models
        var index = 0
        while index < models.count {
            let batch = Array(models[index..<min(index + 2, models.count)])
            let done = await withTaskGroup(of: (Int, Result).self) { group in
                for (offset, entry) in batch.enumerated() {
                    group.addTask { (offset, await self.probe(entry)) }
                }
                var collected: [(Int, Result)] = []
                for await item in group { collected.append(item) }
                return collected.sorted { $0.0 < $1.0 }.map(\.1)
            }
            results += done
            index += batch.count
        }
        return results
    }
}
