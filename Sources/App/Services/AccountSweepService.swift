import Accounts
import Logging
import ServiceLifecycle

/// Runs the account sweep (idle guests, expired sessions, old throttle events) at start and then hourly.
struct AccountSweepService: Service {
    let sweeper: AccountSweeper
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        // cancelOnGracefulShutdown: the sleep between sweeps must not hold shutdown up.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let result = try await self.sweeper.sweep()
                    if result.guests + result.sessions + result.events > 0 {
                        self.logger.info(
                            "account sweep",
                            metadata: ["guests": "\(result.guests)", "sessions": "\(result.sessions)", "throttle_events": "\(result.events)"])
                    }
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.warning("account sweep failed", metadata: ["error": .string(String(describing: error))])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }
}
