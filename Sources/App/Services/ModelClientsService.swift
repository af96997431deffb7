import Models
import ServiceLifecycle

/// Shuts the model HTTP clients down once the server has drained (it is listed before the chat engine, so it stops after it).
struct ModelClientsService: Service {
    let clients: ModelHTTPClients

    func run() async throws {
        try? await gracefulShutdown()
        try await self.clients.shutdown()
    }
}
