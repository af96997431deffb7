import Foundation

/// How often progress is saved, when a silent run counts as dead, and how long shutdown waits.
public struct ChatTiming: Sendable {
    public var flushInterval: Duration = .milliseconds(75)
    /// How often a follower of another instance's run looks for new chunks (with the polling notifications).
    public var pollInterval: Duration = .milliseconds(100)
    public var staleAfter: TimeInterval = 30
    /// How long a title may take after the answer ended before the fallback title stays.
    public var titleWait: Duration = .seconds(5)
    /// How long running answers may go on at shutdown before they are stopped.
    public var shutdownDrain: Duration = .seconds(20)
    public init() {}
}
