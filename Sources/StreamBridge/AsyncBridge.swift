/// The one bridge from "a producer that pushes" to "an AsyncSequence a consumer pulls": the producer runs in
/// a task that lives exactly as long as the consumer wants values. The consumer stopping (done, cancelled,
/// dropped) cancels the producer at once; the producer returning or throwing ends the stream.
public enum AsyncBridge {
    /// A stream fed by `produce`, whose errors reach the consumer after the values produced before them.
    public static func stream<Element: Sendable>(
        of _: Element.Type = Element.self,
        bufferingPolicy: AsyncThrowingStream<Element, any Error>.Continuation.BufferingPolicy = .unbounded,
        mapError: @escaping @Sendable (any Error) -> any Error = { $0 },
        _ produce: @escaping @Sendable (AsyncThrowingStream<Element, any Error>.Continuation) async throws -> Void
    ) -> AsyncThrowingStream<Element, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Element.self, bufferingPolicy: bufferingPolicy)
        let task = Task {
            do {
                try await produce(continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: mapError(error))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
