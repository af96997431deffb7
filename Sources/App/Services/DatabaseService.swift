import ServiceLifecycle
import Storage

/// Keeps the database open while the server runs and closes it after the server has drained.
struct DatabaseService: Service {
    let database: any DatabaseClient

    func run() async throws {
        try? await gracefulShutdown()
        await self.database.close()
    }
}
