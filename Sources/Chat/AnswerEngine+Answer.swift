import Foundation
import JSON
import Logging
import Models
import Storage
import UIMessageStream

/// How a model step ended.
enum StepOutcome: Sendable {
    case completed
    case stopped
    case failed(any Error)
}

extension AnswerEngine {
    /// One answer, start to saved end. Its children: the model step(s) and the title; the engine's one flusher
    /// saves its progress meanwhile. Never throws:
    /// every ending is written to the stream and to the database.
    func execute(_ job: AnswerJob) async {
        let logger = {
            var logger = self.logger
            logger[metadataKey: "run"] = .string(job.run.id.uuidString.lowercased())
            return logger
        }()
        let writer = RunWriter(run: job.run, message: job.message, live: job.handle.live)
        ChatMetrics.answerStarted(model: job.run.model)
        await writer.emit(.start(messageID: job.message.id.uuidString.lowercased()))
        await writer.emit(.startStep)

        let stepsDone = Signal()
        await self.flusher.add(writer, handle: job.handle)
        let outcome = await withTaskGroup(of: Void.self) { group in
            if let text = job.titleSource {
                group.addTask { await self.writeTitle(for: text, job: job, writer: writer, after: stepsDone, logger: logger) }
            }
            let outcome = await self.runSteps(job, writer: writer)
            logger.debug("model steps ended")
            stepsDone.fire()
            writer.firstOutput.fire()
            await self.flusher.remove(job.run.id)
            await group.waitForAll()
            logger.debug("title settled; saving the answer")
            return outcome
        }

        await writer.closeOpenBlock()
        let status: MessageRecord.Status
        let runStatus: RunRecord.Status
        var errorText: String?
        switch outcome {
        case .completed:
            let reason = await writer.finishReason ?? .stop
            await writer.emit(.finishStep)
            await writer.emit(.finish(finishReason: reason.rawValue, metadata: nil))
            (status, runStatus) = (.complete, .completed)
        case .stopped:
            await writer.emit(.finishStep)
            await writer.emit(.abort)
            (status, runStatus) = (.stopped, .stopped)
        case .failed(let error):
            let failure = AnswerFailure(error)
            errorText = failure.message
            logger.warning("answer failed", metadata: ["reference": .string(failure.reference), "error": .string(String(describing: error))])
            await writer.emit(.error(text: failure.message))
            (status, runStatus) = (.failed, .failed)
        }
        ChatMetrics.answerEnded(model: job.run.model, outcome: outcome)
        await self.save(writer, status: status, runStatus: runStatus, error: errorText, logger: logger)
        logger.debug("answer ended", metadata: ["status": "\(status)"])
        job.handle.live.finish()
        self.registry.remove(job.run.id)
    }

    /// One model call, raced against the stop button: a stop cancels the call (and the upstream request).
    func runStep(_ request: ModelRequest, writer: RunWriter, stop: Signal) async -> StepOutcome {
        await stop.race(ifFired: .stopped) {
            ChatMetrics.modelCallStarted(purpose: "answer")
            defer { ChatMetrics.modelCallEnded(purpose: "answer") }
            do {
                for try await event in self.model.stream(request) {
                    try Task.checkCancellation()
                    await writer.apply(event)
                }
                return Task.isCancelled ? .stopped : .completed
            } catch {
                return error is CancellationError || Task.isCancelled ? .stopped : .failed(error)
            }
        }
    }

    /// The one flusher: every `flushInterval` it saves the progress of all running answers in one call to
    /// the sink. After shutdown begins it keeps going until the last answer is gone (the drain).
    func flushAll(until shuttingDown: Signal) async {
        let interval = self.timing.flushInterval
        while !(shuttingDown.isFired && self.registry.count == 0) {
            if shuttingDown.isFired {
                // Stopped answers still save their own last batch, so a cancelled wait may end the loop.
                do { try await Task.sleep(for: interval) } catch { return }
            } else {
                _ = await shuttingDown.wait(upTo: interval)
            }
            await self.flusher.tick(sink: self.sink, logger: self.logger)
        }
    }

    /// Writes the chat's title; gives up `titleWait` after the steps are done (the fallback title stays).
    func writeTitle(for text: String, job: AnswerJob, writer: RunWriter, after stepsDone: Signal, logger: Logger) async {
        // The title's model call waits for the answer's first output (or its end): started together, the two
        // calls compete for the same CPU and connection set-up at the moment that decides time to first token.
        await writer.firstOutput.wait()
        let generator = TitleGenerator(model: self.model, policy: self.policy, logger: logger)
        let wait = self.timing.titleWait
        let title = await withTaskGroup(of: String?.self) { group in
            group.addTask { await generator.title(for: text) }
            group.addTask {
                await stepsDone.wait()
                try? await Task.sleep(for: wait)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let title else {
            ChatMetrics.title("timed_out")
            return
        }
        _ = try? await self.storage.chats.setTitle(title, of: job.run.chatID, ownedBy: job.run.userID)
        await writer.emit(.data(name: "chat-title", data: .string(title), transient: false))
    }

    /// Saves the outcome, retrying while the database is away (for up to a minute, unless shutting down) so nothing is lost.
    func save(_ writer: RunWriter, status: MessageRecord.Status, runStatus: RunRecord.Status, error: String?, logger: Logger) async {
        let run = writer.run
        var delay = Duration.milliseconds(200)
        for attempt in 1...12 {
            do {
                // Chunks, message, verdict and usage go in the flusher's next transaction with every other ending answer.
                let final = await writer.final(status: status, runStatus: runStatus, error: error)
                try await self.flusher.finish(final, sink: self.sink, logger: logger)
                await writer.saved(final.progress)
                ChatMetrics.answerSaved(final.message, model: run.model)
                return
            } catch {
                logger.warning("could not save the answer", metadata: ["attempt": "\(attempt)", "error": .string(String(describing: error))])
                // An orchestrator kills a process that outstays its stop timeout; the next instance's liveness
                // sweep closes the run, and what the last progress save stored stays.
                if self.shutdownRequested.isFired {
                    logger.warning("shutting down with the database away: the answer is left to the liveness sweep")
                    return
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(8))
            }
        }
        logger.error("gave up saving the answer; it will be marked interrupted once it goes stale")
    }
}
