import Foundation
import Storage

/// What can go wrong with a chat request; the app maps each case to its envelope in one place.
public enum ChatError: Error, Equatable, Sendable {
    case unknownModel(String)
    case emptyMessage
    case messageTooLong(limit: Int)
    /// Missing, or someone else's (the two are indistinguishable on purpose).
    case chatNotFound
    case messageNotFound
    case nothingToRegenerate
    /// A new answer was asked for while one is still being written (409).
    case answerInProgress
    /// The message id is already used by another chat (ids are chosen by the client).
    case messageIDTaken
    /// Another request changed the same chat at the same moment (409): reload and try again.
    case concurrentChange
    /// The server is shutting down and starts no new answers.
    case shuttingDown
    case invalidRequest(String)

    init(_ conflict: AnswerStartConflict) {
        switch conflict {
        case .answerRunning: self = .answerInProgress
        case .messageIDTaken: self = .messageIDTaken
        case .chatTaken, .concurrentChange: self = .concurrentChange
        }
    }
}
