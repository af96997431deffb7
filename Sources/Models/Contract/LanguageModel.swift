/// A provider of streamed answers (Bedrock, an OpenAI-compatible server, a router over both).
public protocol LanguageModel: Sendable {
    /// Streams one answer. Cancelling the consuming task cancels the upstream call.
    ///
    /// The stream ends with exactly one `.finish` event on success; every failure is thrown as a `ModelError`.
    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error>
}
