import Accounts
import Logging
import ServiceLifecycle

/// Runs a sweep at start and then every `interval` until graceful shutdown; a failed sweep is logged and the
/// next one comes on time. `afterShutdown` closes what the sweeps used.
struct SweepService: Service {
    /// What is swept, for the log ("account sweep failed").
    let name: String
    let logger: Logger
    var interval: Duration = .seconds(3600)
    let sweep: @Sendable () async throws -> Void
    var afterShutdown: (@Sendable () async throws -> Void)?

    func run() async throws {
        // cancelWhenGracefulShutdown: the sleep between sweeps must not hold shutdown up.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.sweep()
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.warning("\(self.name) sweep failed", metadata: ["error": .string(String(describing: error))])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
        try await self.afterShutdown?()
    }
}

extension SweepService {
    /// Idle guests, expired sessions and old throttle events, hourly.
    static func accounts(_ sweeper: AccountSweeper, logger: Logger) -> SweepService {
        SweepService(name: "account", logger: logger) {
            let result = try await sweeper.sweep()
            if result.guests + result.sessions + result.events > 0 {
                logger.info(
                    "account sweep",
                    metadata: ["guests": "\(result.guests)", "sessions": "\(result.sessions)", "throttle_events": "\(result.events)"])
            }
        }
    }
}
