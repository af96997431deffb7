/// The outcome of `ask`.
public struct AskResult: Sendable, Equatable {
    /// The whole answer text.
    public var text: String
    public var finishReason: FinishReason
    public var usage: TokenUsage
}

extension LanguageModel {
    /// Asks one question and streams the answer's text to `onText` as it arrives (for `chatbot ask`).
    ///
    /// - Throws: a `ModelError` whose message names the fix.
    public func ask(
        _ prompt: String, modelID: String, system: [String] = [], maxOutputTokens: Int? = nil, onText: @Sendable (String) -> Void = { _ in }
    ) async throws -> AskResult {
        var text = ""
        var finish: (FinishReason, TokenUsage) = (.other, TokenUsage())
        let request = ModelRequest(modelID: modelID, system: system, messages: [.user(prompt)], maxOutputTokens: maxOutputTokens)
        for try await event in self.stream(request) {
            switch event {
            case .textDelta(let delta):
                text += delta
                onText(delta)
            case .finish(let reason, let usage):
                finish = (reason, usage)
            default:
                break
            }
        }
        return AskResult(text: text, finishReason: finish.0, usage: finish.1)
    }
}
