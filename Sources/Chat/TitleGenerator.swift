import Foundation
import Logging
import Models
import Storage

/// Writes a short chat title from the first message with the title model, with a fallback that never fails.
struct TitleGenerator: Sendable {
    let model: any LanguageModel
    let policy: ChatModelPolicy
    let logger: Logger

    static let instructions = """
        You write titles for conversations. Reply with a title of 2 to 5 words that summarises the user's message. \
        No quotes, no punctuation at the end, no prefix like "Title:". Reply with the title only.
        """

    func title(for text: String) async -> String {
        for modelID in [self.policy.titleModel, self.policy.titleFallbackModel].compactMap({ $0 }) {
            do {
                let raw = try await self.generate(with: modelID, text: text)
                if let cleaned = Self.clean(raw) {
                    ChatMetrics.title("generated")
                    return cleaned
                }
            } catch is CancellationError {
                break
            } catch {
                self.logger.notice("title generation failed", metadata: ["model": .string(modelID), "error": .string(String(describing: error))])
            }
        }
        // A cancelled call lost the race with the title wait, which counts it as timed out.
        if !Task.isCancelled { ChatMetrics.title("fallback") }
        return Self.fallback(for: text)
    }

    private func generate(with modelID: String, text: String) async throws -> String {
        let request = ModelRequest(
            modelID: modelID, system: [Self.instructions],
            messages: [ModelMessage(role: .user, content: [.text(TextLimit.prefix(text, 2000))])],
            maxOutputTokens: 24, temperature: 0.2, purpose: .title)
        var title = ""
        ChatMetrics.modelCallStarted(purpose: "title")
        defer { ChatMetrics.modelCallEnded(purpose: "title") }
        for try await event in self.model.stream(request) {
            if case .textDelta(let delta) = event { title += delta }
            if !TextLimit.fits(title, scalars: 200) { break }
        }
        return title
    }

    /// Keeps the first line, without quotes or a "Title:" prefix, at most 80 Unicode scalars; nil when nothing is left.
    static func clean(_ raw: String) -> String? {
        var title = raw.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if let range = title.range(of: "title:", options: [.caseInsensitive, .anchored]) { title.removeSubrange(range) }
        title = title.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'`*#.").union(.whitespaces))
        guard !title.isEmpty else { return nil }
        return TextLimit.prefix(title, 80, suffix: "…")
    }

    /// The first words of the message, for when no model can help.
    static func fallback(for text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace }).prefix(6).joined(separator: " ")
        guard !words.isEmpty else { return "New chat" }
        return TextLimit.prefix(words, 60, suffix: "…")
    }
}
