import Foundation
import Models
import StreamBridge
import Synchronization

@testable import Chat

/// A language model that plays scripts: answers and titles each from their own queue, in order, with a
/// default when the queue is empty. Gates let a test hold the model at a point without sleeping.
final class ScriptedModel: LanguageModel {
    enum Step: Sendable {
        case text(String)
        case reasoning(String)
        case signature(String)
        /// A tool call whose input arrives in two fragments.
        case tool(id: String, name: String, input: String)
        case finish(FinishReason)
        case fail(ModelError)
        /// Waits until the gate opens (or the call is cancelled).
        case wait(Signal)
    }

    private struct State {
        var answers: [[Step]] = []
        var titles: [[Step]] = []
        var requests: [ModelRequest] = []
        var cancelled = 0
    }

    private let state = Mutex(State())
    let defaultAnswer: [Step]
    let defaultTitle: [Step]

    init(defaultAnswer: [Step] = [.text("Hello"), .text(" world"), .finish(.stop)], defaultTitle: [Step] = [.text("A fine title"), .finish(.stop)]) {
        self.defaultAnswer = defaultAnswer
        self.defaultTitle = defaultTitle
    }

    func enqueueAnswer(_ steps: Step...) { self.state.withLock { $0.answers.append(steps) } }
    func enqueueTitle(_ steps: Step...) { self.state.withLock { $0.titles.append(steps) } }
    var answerRequests: [ModelRequest] { self.state.withLock { $0.requests.filter { !Self.isTitle($0) } } }
    var cancelledCalls: Int { self.state.withLock { $0.cancelled } }

    static func isTitle(_ request: ModelRequest) -> Bool { request.system == [TitleGenerator.instructions] }

    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        let steps = self.state.withLock { state -> [Step] in
            state.requests.append(request)
            if Self.isTitle(request) {
                return state.titles.isEmpty ? self.defaultTitle : state.titles.removeFirst()
            }
            return state.answers.isEmpty ? self.defaultAnswer : state.answers.removeFirst()
        }
        return AsyncBridge.stream(of: ModelEvent.self) { output in
            do {
                for step in steps {
                    switch step {
                    case .text(let text): output.yield(.textDelta(text))
                    case .reasoning(let text): output.yield(.reasoningDelta(text))
                    case .signature(let signature): output.yield(.reasoningSignature(signature))
                    case .tool(let id, let name, let input):
                        output.yield(.toolInputStart(id: id, name: name))
                        let middle = input.index(input.startIndex, offsetBy: input.count / 2)
                        for piece in [input[..<middle], input[middle...]] where !piece.isEmpty {
                            output.yield(.toolInputDelta(id: id, delta: String(piece)))
                        }
                        output.yield(.toolCall(id: id, name: name, inputJSON: input))
                    case .finish(let reason): output.yield(.finish(reason, TokenUsage(inputTokens: 7, outputTokens: 3)))
                    case .fail(let error): throw error
                    case .wait(let gate): await gate.wait()
                    }
                    try Task.checkCancellation()
                }
            } catch is CancellationError {
                self.state.withLock { $0.cancelled += 1 }
                throw CancellationError()
            }
        }
    }
}
