import CoreMetrics
import Models
import Storage

/// What answers do, for `/metrics` (swift-metrics; a no-op unless the app turned metrics on). Labels are the
/// catalog's model id, an outcome or an error kind: bounded sets, never a user, chat or run id.
enum ChatMetrics {
    static func answerStarted(model: String) {
        Counter(label: "chatbot_answers_started_total", dimensions: [("model", model)]).increment()
        Meter(label: "chatbot_answers_in_flight", dimensions: [("model", model)]).increment()
    }

    static func answerEnded(model: String, outcome: StepOutcome) {
        Meter(label: "chatbot_answers_in_flight", dimensions: [("model", model)]).decrement()
        let name: String
        switch outcome {
        case .completed: name = "completed"
        case .stopped: name = "stopped"
        case .failed(let error):
            name = "failed"
            let kind = (error as? ModelError)?.kind.rawValue ?? "internal"
            Counter(label: "chatbot_answers_failed_total", dimensions: [("model", model), ("error_kind", kind)]).increment()
        }
        Counter(label: "chatbot_answers_finished_total", dimensions: [("model", model), ("outcome", name)]).increment()
    }

    /// Timing and token use of a saved answer (recorded once, when it is stored).
    static func answerSaved(_ message: MessageRecord, model: String) {
        let dimensions = [("model", model)]
        if let ms = message.firstTokenMs {
            CoreMetrics.Timer(label: "chatbot_answer_first_token_seconds", dimensions: dimensions).recordMilliseconds(ms)
        }
        if let ms = message.durationMs {
            CoreMetrics.Timer(label: "chatbot_answer_duration_seconds", dimensions: dimensions).recordMilliseconds(ms)
        }
        let usage = message.usage
        for (name, count) in [
            ("chatbot_model_input_tokens_total", usage.inputTokens), ("chatbot_model_output_tokens_total", usage.outputTokens),
            ("chatbot_model_cache_read_tokens_total", usage.cacheReadTokens), ("chatbot_model_cache_write_tokens_total", usage.cacheWriteTokens),
        ] {
            // Always touched, so every model's series exists from its first answer (a rate over a missing series is empty).
            Counter(label: name, dimensions: dimensions).increment(by: max(count, 0))
        }
    }

    /// Model calls streaming now, by purpose (`answer`, `title`): each holds one connection of its model pool
    /// (MODEL_MAX_CONNECTIONS for answers, a quarter of it for titles), so this is the pool's use.
    static func modelCallStarted(purpose: String) {
        Meter(label: "chatbot_model_calls_in_flight", dimensions: [("purpose", purpose)]).increment()
    }

    static func modelCallEnded(purpose: String) {
        Meter(label: "chatbot_model_calls_in_flight", dimensions: [("purpose", purpose)]).decrement()
    }

    /// `generated` (a model wrote it), `fallback` (no model could: the first words stay), `timed_out` (the
    /// answer ended and the title did not come within the wait).
    static func title(_ outcome: String) {
        Counter(label: "chatbot_titles_total", dimensions: [("outcome", outcome)]).increment()
    }

    /// A reader came back to a running answer: served from this instance's memory or from the database.
    static func streamResumed(fromMemory: Bool) {
        Counter(label: "chatbot_stream_resumes_total", dimensions: [("source", fromMemory ? "memory" : "database")]).increment()
    }
}
