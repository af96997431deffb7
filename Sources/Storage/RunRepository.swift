import Foundation
import SQLKit

/// Generation runs and the UI stream chunks they produced, in order.
public struct RunRepository: Sendable {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    public func create(_ run: RunRecord) async throws {
        try await self.database.withSQL { sql in try await Self.insert(run, on: sql) }
    }

    static func insert(_ run: RunRecord, on sql: any SQLDatabase) async throws {
            try await sql.raw(
                """
                INSERT INTO generation_runs (id, chat_id, message_id, user_id, model, status, instance_id, cancel_requested, error,
                                             chunk_count, heartbeat_at, created_at, finished_at)
                VALUES (\(bind: run.id), \(bind: run.chatID), \(bind: run.messageID), \(bind: run.userID), \(bind: run.model),
                        \(bind: run.status.rawValue), \(bind: run.instanceID), \(bind: run.cancelRequested), \(bind: run.error),
                        \(bind: run.chunkCount), \(bind: run.heartbeatAt), \(bind: run.createdAt), \(bind: run.finishedAt))
                """
            ).run()
    }

    public func find(id: UUID) async throws -> RunRecord? {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM generation_runs WHERE id = \(bind: id)").first().map(Self.decode)
        }
    }

    /// The chat's newest run, whatever its state.
    public func latest(chatID: UUID) async throws -> RunRecord? {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM generation_runs WHERE chat_id = \(bind: chatID) ORDER BY created_at DESC LIMIT 1")
                .first().map(Self.decode)
        }
    }

    /// Appends chunks numbered from `firstSeq` and refreshes the heartbeat, in one transaction.
    /// Returns whether a stop was requested, so the writer learns it without another query.
    @discardableResult
    public func append(chunks: [String], to runID: UUID, startingAt firstSeq: Int, at date: Date = Date()) async throws -> Bool {
        guard !chunks.isEmpty else { return try await self.checkIn(runID, at: date) }
        return try await self.database.transaction { sql in
            var insert = sql.insert(into: "run_chunks").columns("run_id", "seq", "chunk")
            for (offset, chunk) in chunks.enumerated() {
                insert = insert.values(SQLBind(runID), SQLBind(firstSeq + offset), SQLBind(chunk))
            }
            // Idempotent: a batch whose commit was acknowledged late may be sent again.
            try await insert.ignoringConflicts(with: ["run_id", "seq"]).run()
            let row = try await sql.raw(
                """
                UPDATE generation_runs SET chunk_count = \(bind: firstSeq + chunks.count), heartbeat_at = \(bind: date)
                WHERE id = \(bind: runID) RETURNING cancel_requested
                """
            ).first()
            return try row?.decode(column: "cancel_requested", as: Bool.self) ?? false
        }
    }

    /// Refreshes the heartbeat of a run still thinking; returns whether a stop was requested.
    public func checkIn(_ runID: UUID, at date: Date = Date()) async throws -> Bool {
        try await self.database.withSQL { sql in
            let row = try await sql.raw(
                "UPDATE generation_runs SET heartbeat_at = \(bind: date) WHERE id = \(bind: runID) RETURNING cancel_requested"
            ).first()
            return try row?.decode(column: "cancel_requested", as: Bool.self) ?? false
        }
    }

    /// Running runs whose heartbeat is older than `before`, oldest first: candidates for "the instance died".
    public func silent(since before: Date, limit: Int) async throws -> [RunRecord] {
        try await self.database.withSQL { sql in
            try await sql.raw(
                "SELECT * FROM generation_runs WHERE status = 'running' AND heartbeat_at < \(bind: before) ORDER BY heartbeat_at LIMIT \(bind: limit)"
            ).all().map(Self.decode)
        }
    }

    /// Chunks with `seq > after`, in order (pass -1 for all).
    public func chunks(of runID: UUID, after: Int, limit: Int = 1000) async throws -> [(seq: Int, chunk: String)] {
        try await self.database.withSQL { sql in
            try await sql.raw(
                "SELECT seq, chunk FROM run_chunks WHERE run_id = \(bind: runID) AND seq > \(bind: after) ORDER BY seq LIMIT \(bind: limit)"
            ).all().map { (try $0.decode(column: "seq", as: Int.self), try $0.decode(column: "chunk", as: String.self)) }
        }
    }

    /// Records the outcome; only a running run changes, so a late writer cannot overwrite a verdict.
    /// On PostgreSQL the same statement notifies followers on other instances that the run ended.
    public func finish(_ runID: UUID, status: RunRecord.Status, error: String? = nil, at date: Date = Date()) async throws {
        let isPostgres = self.database.kind == .postgres
        try await self.database.withSQL { sql in
            var update: SQLQueryString = """
                UPDATE generation_runs SET status = \(bind: status.rawValue), error = \(bind: error), finished_at = \(bind: date)
                WHERE id = \(bind: runID) AND status = 'running'
                """
            if isPostgres {
                update = """
                    WITH ended AS (\(update) RETURNING id)
                    SELECT pg_notify(\(bind: RunChangeChannel.name), \(bind: RunChangeChannel.compact(runID))) FROM ended
                    """
            }
            try await sql.raw(update).run()
        }
    }

    /// Asks whichever instance owns the run to stop it. False when it is not running.
    @discardableResult
    public func requestCancel(_ runID: UUID) async throws -> Bool {
        try await self.database.withSQL { sql in
            !(try await sql.raw(
                "UPDATE generation_runs SET cancel_requested = \(bind: true) WHERE id = \(bind: runID) AND status = 'running' RETURNING id"
            ).all().isEmpty)
        }
    }

    static func decode(_ row: any SQLRow) throws -> RunRecord {
        RunRecord(
            id: try row.decode(column: "id", as: UUID.self),
            chatID: try row.decode(column: "chat_id", as: UUID.self),
            messageID: try row.decode(column: "message_id", as: UUID.self),
            userID: try row.decode(column: "user_id", as: UUID.self),
            model: try row.decode(column: "model", as: String.self),
            status: RunRecord.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            instanceID: try row.decode(column: "instance_id", as: String.self),
            cancelRequested: try row.decode(column: "cancel_requested", as: Bool.self),
            error: try row.decode(column: "error", as: String?.self),
            chunkCount: try row.decode(column: "chunk_count", as: Int.self),
            heartbeatAt: try row.decode(column: "heartbeat_at", as: Date.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            finishedAt: try row.decode(column: "finished_at", as: Date?.self)
        )
    }
}
