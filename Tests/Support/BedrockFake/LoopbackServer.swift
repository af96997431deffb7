import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A Hummingbird server on 127.0.0.1 with an OS-chosen port, run in a task; for fakes in tests.
public final class LoopbackServer: Sendable {
    /// The bound port.
    public let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// `http://127.0.0.1:<port>`.
    public var url: String { "http://127.0.0.1:\(self.port)" }

    init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
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
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            task.cancel()
            throw CancellationError()
        }
        return LoopbackServer(port: bound, group: group, task: task)
    }

    /// Stops the server gracefully. Cancelling the serving task instead can crash the whole test process
    /// when a connection was accepted but not yet served ("Deinited NIOAsyncWriter without calling finish()",
    /// apple/swift-nio#2637): it did, under load, in a full `swift test` run.
    public func stop() async {
        await self.group.triggerGracefulShutdown()
        // A handler that never ends would hold the graceful shutdown forever: cut it off after a while.
        let task = self.task
        let watchdog = Task {
            try await Task.sleep(for: .seconds(15))
            task.cancel()
        }
        _ = await task.result
        watchdog.cancel()
    }

    /// Runs until the task running it is cancelled (for the `fake-bedrock` process).
    public func wait() async {
        _ = await self.task.result
    }
}
