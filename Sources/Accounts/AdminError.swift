import Foundation

/// What can go wrong in the admin API; the app maps each case to its envelope in one place.
public enum AdminError: Error, Equatable, Sendable {
    /// The caller is not an administrator: answered exactly like a route that does not exist.
    case notAdmin
    case userNotFound
    /// A path segment that should be a user id is not a UUID.
    case invalidUserID
    /// An administrator tried to disable their own account (they would lock themselves out).
    case cannotDisableSelf
    case allowanceOutOfRange(ClosedRange<Int>)
    case listLimitOutOfRange(ClosedRange<Int>)
}
