import Foundation
import SQLKit

/// Saves the progress of all of an instance's running answers in one transaction per flush tick: one
/// multi-row chunk insert, one heartbeat update for every run, one update of the parts of the messages that changed and, on
/// PostgreSQL, a notification naming the runs with new chunks.
public struct RunProgressRepository: RunProgressStore {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    /// Rows and runs per statement stay under SQLite's oldest bind limit (999): three binds per chunk row,
    /// at most three per run in the heartbeat and parts updates.
    static let rowsPerInsert = 300
    static let runsPerUpdate = 300

    public func save(progress: [RunProgress], finals: [RunFinal], at date: Date) async throws -> Set<UUID> {
        guard !progress.isEmpty || !finals.isEmpty else { return [] }
        let kind = self.database.kind
        let running = progress
        // An ending answer's last chunks go with everyone's; its message, verdict and usage follow them.
        let progress = running + finals.map(\.progress)
        return try await self.database.transaction { sql in
            // The heartbeat first: it locks the rows of the runs that still exist and names them, so chunks
            // of a run whose chat was deleted meanwhile are skipped instead of failing everyone's save.
            var stops: Set<UUID> = []
            var existing: Set<UUID> = []
            for start in stride(from: 0, to: progress.count, by: Self.runsPerUpdate) {
                let group = progress[start..<min(start + Self.runsPerUpdate, progress.count)]
                for row in try await sql.raw(Self.heartbeat(group, at: date)).all() {
                    let id = try row.decode(column: "id", as: UUID.self)
                    existing.insert(id)
                    if try row.decode(column: "cancel_requested", as: Bool.self) { stops.insert(id) }
                }
            }
            let rows = progress.filter { existing.contains($0.runID) }.flatMap { batch in
                batch.chunks.enumerated().map { (batch.runID, batch.firstSeq + $0.offset, $0.element) }
            }
            for start in stride(from: 0, to: rows.count, by: Self.rowsPerInsert) {
                var insert = sql.insert(into: "run_chunks").columns("run_id", "seq", "chunk")
                for (runID, seq, chunk) in rows[start..<min(start + Self.rowsPerInsert, rows.count)] {
                    insert = insert.values(SQLBind(runID), SQLBind(seq), SQLBind(chunk))
                }
                // Idempotent: a batch whose commit was acknowledged late may be sent again.
                try await insert.ignoringConflicts(with: ["run_id", "seq"]).run()
            }
            if kind == .postgres {
                // Followers on other instances wake on this when the transaction commits (never before).
                let changed = progress.filter { existing.contains($0.runID) && !$0.chunks.isEmpty }.map(\.runID)
                for payload in RunChangeChannel.payloads(changed) {
                    try await sql.raw("SELECT pg_notify(\(bind: RunChangeChannel.name), \(bind: payload))").run()
                }
            }
            let messages = running.compactMap(\.message)
            for start in stride(from: 0, to: messages.count, by: Self.runsPerUpdate) {
                try await sql.raw(Self.parts(messages[start..<min(start + Self.runsPerUpdate, messages.count)])).run()
            }
            for final in finals {
                try await Self.saveFinal(final, at: date, kind: kind, on: sql)
            }
            return stops
        }
    }

    /// `UPDATE messages SET parts = CASE id WHEN … END WHERE id IN (…)`: the parts of many answers at once.
    static func parts(_ messages: ArraySlice<MessageRecord>) -> SQLQueryString {
        var query: SQLQueryString = "UPDATE messages SET parts = CASE id"
        for message in messages {
            query.appendLiteral(" WHEN ")
            query.appendInterpolation(bind: message.id)
            query.appendLiteral(" THEN ")
            query.appendInterpolation(bind: JSONList(message.parts))
        }
        query.appendLiteral(" ELSE parts END WHERE id IN (")
        for (index, message) in messages.enumerated() {
            if index > 0 { query.appendLiteral(", ") }
            query.appendInterpolation(bind: message.id)
        }
        query.appendLiteral(")")
        return query
    }

    /// `UPDATE … SET heartbeat_at, chunk_count = CASE id WHEN … END WHERE id IN (…) RETURNING id, cancel_requested`.
    static func heartbeat(_ group: ArraySlice<RunProgress>, at date: Date) -> SQLQueryString {
        var query: SQLQueryString = "UPDATE generation_runs SET heartbeat_at = \(bind: date)"
        let counted = group.filter { !$0.chunks.isEmpty }
        if !counted.isEmpty {
            query.appendLiteral(", chunk_count = CASE id")
            for batch in counted {
                query.appendLiteral(" WHEN ")
                query.appendInterpolation(bind: batch.runID)
                query.appendLiteral(" THEN ")
                query.appendInterpolation(bind: batch.firstSeq + batch.chunks.count)
            }
            query.appendLiteral(" ELSE chunk_count END")
        }
        query.appendLiteral(" WHERE id IN (")
        for (index, batch) in group.enumerated() {
            if index > 0 { query.appendLiteral(", ") }
            query.appendInterpolation(bind: batch.runID)
        }
        query.appendLiteral(") RETURNING id, cancel_requested")
        return query
    }
}
