import Logging
import Models
import ServiceLifecycle

/// Probes the models still being prepared (the local model during `scripts/run`'s first run) until they answer,
/// so the model picker flips from "installing" to ready without a restart. Listed after the model clients' service,
/// so it stops before they close.
struct ModelAvailabilityService: Service {
    let availability: ModelAvailability
    let logger: Logger

    func run() async throws {
        if self.availability.isPreparing {
            self.logger.info("the local model is still being prepared: it is offered as installing until its server answers")
            let clock = ContinuousClock()
            let started = clock.now
            await cancelWhenGracefulShutdown { await self.availability.watch() }
            if !self.availability.isPreparing {
                self.logger.info("the local model answers: it is ready", metadata: ["waited_s": "\((clock.now - started).components.seconds)"])
            }
        }
        try? await gracefulShutdown()
    }
}
