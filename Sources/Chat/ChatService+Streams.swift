import Accounts
import Foundation
import Storage
import UIMessageStream

extension ChatService {
    /// Chunks of a run after `seq`, then live until it ends. Local runs are followed in memory; runs of
    /// other instances by polling the database, which is the shared state between instances.
    public func follow(runID: UUID, after seq: Int) -> AsyncThrowingStream<(Int, String), any Error> {
        if let handle = self.registry.handle(for: runID) {
            let live = handle.live.follow(after: seq)
            return AsyncThrowingStream { continuation in
                let task = Task {
                    // Chunks produced after the client's (possibly ahead-of-us) position only.
                    for await item in live where item.0 > seq { continuation.yield(item) }
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            }
        }
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.poll(runID: runID, after: seq) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func poll(runID: UUID, after seq: Int, yield: ((Int, String)) -> Void) async throws {
        var last = seq
        while !Task.isCancelled {
            let batch = try await self.runs.chunks(of: runID, after: last)
            for item in batch {
                yield(item)
                last = item.seq
            }
            if !batch.isEmpty { continue }
            guard let run = try await self.runs.find(id: runID) else { return }
            if run.status != .running {
                // The final chunks are written before the status changes: drain them and stop.
                for item in try await self.runs.chunks(of: runID, after: last) { yield(item) }
                return
            }
            if self.registry.handle(for: runID) == nil, Date().timeIntervalSince(run.heartbeatAt) > self.timing.staleAfter {
                try await self.markInterrupted(run)
                return
            }
            try await Task.sleep(for: self.timing.pollInterval)
        }
    }

    /// The run to resume for `GET /api/chat/{id}/stream`: nil when nothing is being written (204).
    /// Owners can resume their chats; anyone can follow a public chat's answer.
    public func resumableRun(chatID: UUID, viewer: SessionUser?) async throws -> RunRecord? {
        guard let chat = try await self.chats.find(id: chatID), chat.userID == viewer?.id || chat.visibility == .public else {
            throw ChatError.chatNotFound
        }
        return try await self.activeRun(chatID: chatID)
    }
}
