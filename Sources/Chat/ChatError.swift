import Foundation

/// What can go wrong with a chat request; the app maps each case to its envelope in one place.
public enum ChatError: Error, Equatable, Sendable {
    case unknownModel(String)
    case emptyMessage
    case messageTooLong(limit: Int)
    /// Missing, or someone else's (the two are indistinguishable on purpose).
    case chatNotFound
    case messageNotFound
    case nothingToRegenerate
    /// A new answer was asked for while one is still being written.
    case answerInProgress
    case invalidRequest(String)
}
