import Foundation
import Storage

/// The one place that decides whether a running run is dead: not generating here, and no heartbeat from
/// its instance for `staleAfter`. Readers only ask; the engine is who records the verdict.
struct RunLiveness: Sendable {
    let registry: RunRegistry
    let staleAfter: TimeInterval

    static let interruptedMessage =
        "The answer was interrupted because the server handling it stopped. What was written before that is kept."

    func isStale(_ run: RunRecord, now: Date = Date()) -> Bool {
        run.status == .running && self.registry.handle(for: run.id) == nil && now.timeIntervalSince(run.heartbeatAt) > self.staleAfter
    }
}
