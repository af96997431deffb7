import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL channel on which instances announce runs that got new chunks or ended, so followers on
/// other instances read at once instead of on their next poll. Payload: run ids as 32 hex digits (the UUID
/// without dashes), comma-separated, at most `idsPerNotification` per notification (PostgreSQL caps a
/// payload at 8,000 bytes; 200 ids are 6,599).
public enum RunChangeChannel {
    public static let name = "chatbot_run_changes"
    static let idsPerNotification = 200

    public static func payloads(_ ids: [UUID]) -> [String] {
        stride(from: 0, to: ids.count, by: self.idsPerNotification).map { start in
            ids[start..<min(start + self.idsPerNotification, ids.count)].map(self.compact).joined(separator: ",")
        }
    }

    public static func compact(_ id: UUID) -> String {
        String(id.uuidString.lowercased().filter { $0 != "-" })
    }

    /// The run ids of a payload; anything malformed is skipped (another version may send more).
    public static func decode(_ payload: String) -> [UUID] {
        payload.split(separator: ",").compactMap { part in
            guard part.utf8.count == 32 else { return nil }
            let hex = Array(part)
            let dashed = String(hex[0..<8]) + "-" + String(hex[8..<12]) + "-" + String(hex[12..<16]) + "-" + String(hex[16..<20]) + "-"
                + String(hex[20...])
            return UUID(uuidString: dashed)
        }
    }
}

/// Where an instance hears that runs elsewhere changed.
public protocol RunChangeSource: Sendable {
    /// Delivers changed run ids until the task is cancelled. `connected` reports each time delivery starts
    /// (true) or stops (false): while it is off, changes are missed and callers must poll.
    func listen(changed: @escaping @Sendable ([UUID]) -> Void, connected: @escaping @Sendable (Bool) -> Void) async
}

/// LISTEN on a connection of its own (not from the pool: a pooled connection goes back to the pool and
/// stops listening). When the connection drops (the database restarted, a failover, a network cut) it
/// connects again with a backoff of 250 ms doubling to 5 s; a query every `checkInterval` notices a
/// connection that died silently.
public struct PostgresRunChanges: RunChangeSource {
    let settings: PostgresSettings
    let logger: Logger
    var checkInterval: Duration = .seconds(15)

    public init(settings: PostgresSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    struct Ended: Error {}

    public func listen(changed: @escaping @Sendable ([UUID]) -> Void, connected: @escaping @Sendable (Bool) -> Void) async {
        var delay = Duration.milliseconds(250)
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            do {
                var configuration = try PostgresDatabaseClient.connectionConfiguration(for: self.settings)
                configuration.options.connectTimeout = .seconds(3)
                let connection = try await PostgresConnection.connect(configuration: configuration, id: attempt, logger: self.logger)
                delay = .milliseconds(250)
                await withTaskCancellationHandler {
                    do {
                        try await self.deliver(on: connection, changed: changed, connected: connected)
                    } catch where !Task.isCancelled {
                        self.logger.warning("run-change listener lost its connection", metadata: ["error": .string(String(describing: error))])
                    } catch {}
                } onCancel: {
                    connection.close().whenComplete { _ in }
                }
                try? await connection.close()
            } catch where !Task.isCancelled {
                self.logger.debug("run-change listener could not connect", metadata: ["error": .string(String(describing: error))])
            } catch {}
            connected(false)
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    private func deliver(
        on connection: PostgresConnection, changed: @escaping @Sendable ([UUID]) -> Void, connected: @escaping @Sendable (Bool) -> Void
    ) async throws {
        try await connection.listen(on: RunChangeChannel.name) { notifications in
            // LISTEN is in effect from here: whatever was missed before is for the caller to catch up on.
            connected(true)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notification in notifications { changed(RunChangeChannel.decode(notification.payload)) }
                    throw Ended()
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: self.checkInterval)
                        _ = try await connection.query("SELECT 1", logger: self.logger)
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
