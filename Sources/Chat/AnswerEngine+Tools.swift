import Foundation
import JSON
import Logging
import Models
import Storage
import UIMessageStream

extension AnswerEngine {
    /// The most model calls one answer makes; the tools of the last one still run, then the answer ends.
    static let maxSteps = 5

    /// The answer's model steps: a step whose model called tools runs them, then the model is asked again with
    /// its own turn (signed reasoning, text, calls) and the results, up to `maxSteps` calls.
    func runSteps(_ job: AnswerJob, writer: RunWriter) async -> StepOutcome {
        var request = job.request
        let stop = job.handle.stopRequest
        for step in 1...Self.maxSteps {
            if step > 1 { await writer.nextStep() }
            let outcome = await self.runStep(request, writer: writer, stop: stop)
            guard case .completed = outcome else { return outcome }
            await writer.closeOpenBlock()
            let (content, calls) = await writer.step
            guard !calls.isEmpty else { return .completed }
            var results: [ModelContent] = []
            for call in calls {
                guard let result = await self.runTool(call, job: job, writer: writer, stop: stop) else { return .stopped }
                results.append(result)
            }
            request.messages.append(ModelMessage(role: .assistant, content: content))
            request.messages.append(ModelMessage(role: .user, content: results))
        }
        return .completed
    }

    private enum ToolOutcome: Sendable {
        case output(JSONValue)
        case failure(String)
        case stopped
    }

    /// Runs one call, raced against the stop button; returns the result for the model, or nil when stopped.
    /// Whatever happens inside the tool, the answer goes on: bad input and errors become an error result.
    func runTool(_ call: AnswerBuilder.ToolCall, job: AnswerJob, writer: RunWriter, stop: Signal) async -> ModelContent? {
        let context = ToolContext(
            userID: job.run.userID, chatID: job.run.chatID, modelID: job.request.modelID, maxOutputTokens: job.request.maxOutputTokens,
            conversation: job.request.messages, model: self.model, documents: self.storage.documents, writer: writer, logger: self.logger)
        let tool = self.tools[call.name]
        let outcome: ToolOutcome = await stop.race(ifFired: .stopped) {
            do {
                guard let tool else { throw ToolFailure("There is no tool named \"\(call.name)\".") }
                guard let input = JSONValue(jsonText: call.inputJSON), case .object = input else {
                    throw ToolFailure("The input of \(call.name) must be a JSON object.")
                }
                return .output(try await tool.run(input, context: context))
            } catch let failure as ToolFailure {
                return .failure(failure.message)
            } catch {
                if Task.isCancelled { return .stopped }
                self.logger.warning("tool failed", metadata: ["tool": .string(call.name), "error": .string(String(describing: error))])
                if let error = error as? ModelError { return .failure("The tool could not finish: \(error.message)") }
                return .failure("The tool \(call.name) failed unexpectedly. Tell the user it did not work; do not retry it more than once.")
            }
        }
        switch outcome {
        case .output(let output):
            await writer.toolOutput(id: call.id, output: output)
            return .toolResult(id: call.id, contentJSON: output.jsonString, isError: false)
        case .failure(let message):
            await writer.toolError(id: call.id, text: message)
            return .toolResult(id: call.id, contentJSON: JSONValue.string(message).jsonString, isError: true)
        case .stopped:
            return nil
        }
    }
}
