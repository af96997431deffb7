import Foundation
import Models

/// What readers of a chat see when an answer fails: what to do, never the provider's own words (which can
/// name IAM policies, account ids or ARNs, and public chats have readers). The details go to the log
/// under `reference`, which the message quotes so the operator can find them.
struct AnswerFailure: Sendable {
    let reference: String
    let message: String

    init(_ error: any Error) {
        self.reference = String(UUID().uuidString.prefix(8)).lowercased()
        self.message = Self.advice(for: error) + " (reference \(self.reference))"
    }

    static func advice(for error: any Error) -> String {
        guard let error = error as? ModelError else {
            return "The answer could not be completed because of an unexpected error. Please try again."
        }
        switch error.kind {
        case .accessDenied, .credentialsMissing, .credentialsExpired, .marketplaceSubscription, .inferenceProfileRequired, .modelNotFound,
            .modelNotEnabled, .legacyModel:
            return "This server does not have model access for this model right now. Pick another model, or ask the operator to check it with `chatbot doctor`."
        case .throttled:
            return "The model is receiving too many requests. Wait a moment, then regenerate the answer."
        case .busy:
            return "The server is busy answering other people. Wait a moment, then regenerate the answer."
        case .timeout, .modelNotReady, .unavailable, .network:
            return "The model could not be reached or did not answer in time. Try again in a moment."
        case .invalidRequest:
            return "The model could not accept this conversation. Try rephrasing, a new chat, or another model."
        case .modelStreamError, .invalidResponse, .unknown:
            return "The model stopped with an error while answering. Regenerate the answer to try again."
        }
    }
}
