import Hummingbird
import Logging
import NIOCore

/// A Hummingbird server on 127.0.0.1 with an OS-chosen port, run in a task; for fakes in tests.
public final class LoopbackServer: Sendable {
    /// The bound port.
    public let port: Int
    let task: Task<Void, any Error>

    /// `http://127.0.0.1:<port>`.
    public var url: String { "http://127.0.0.1:\(self.port)" }

    init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    /// Starts a server that answers every request with `handler`, on `port` (0 for any free port).
    public static func start(
        port: Int = 0, handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response
    ) async throws -> LoopbackServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-server")
        logger.logLevel = .critical
        let app = Application(
            responder: CallbackResponder(callback: handler),
            // A large backlog: benchmarks open thousands of connections at once, and the default of 256 resets some.
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "fake", backlog: 4096),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            task.cancel()
            throw CancellationError()
        }
        return LoopbackServer(port: bound, task: task)
    }

    /// Stops the server (open streams are cut).
    public func stop() async {
        self.task.cancel()
        _ = await self.task.result
    }

    /// Runs until the task running it is cancelled (for the `fake-bedrock` process).
    public func wait() async {
        _ = await self.task.result
    }
}
