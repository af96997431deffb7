extension AsyncThrowingStream where Failure == any Error, Element: Sendable {
    /// A stream fed by `produce`, running in its own task: the one place the Bedrock client and the model
    /// providers bridge a producer to an `AsyncThrowingStream`.
    ///
    /// The stream finishes when `produce` returns, or throws `mapError(error)`; the consumer going away
    /// (cancelled or done) cancels the producer at once, which cancels the HTTP request it is reading.
    public static func producing(
        mapError: @escaping @Sendable (any Error) -> any Error = { $0 }, _ produce: @escaping @Sendable (Continuation) async throws -> Void
    ) -> AsyncThrowingStream<Element, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Element.self)
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
