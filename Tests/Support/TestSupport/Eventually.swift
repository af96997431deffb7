/// Waits for the state a test is about to assert instead of sleeping a fixed time: polls `condition`
/// until it holds and throws (failing the test with `what`) when it does not within `limit`.
///
/// The limit is generous on purpose: on a loaded machine things are slow, not wrong, and a passing
/// test returns as soon as the state is reached, so a long limit costs nothing when all is well.
public func eventually(
    _ what: @autoclosure () -> String = "condition", within limit: Duration = .seconds(30), every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    _ = try await eventuallyValue(what(), within: limit, every: interval) { try await condition() ? true : nil }
}

/// Polls `probe` until it returns a value and returns it; throws when it has none within `limit`.
public func eventuallyValue<T>(
    _ what: @autoclosure () -> String = "value", within limit: Duration = .seconds(30), every interval: Duration = .milliseconds(20),
    _ probe: () async throws -> T?
) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: limit)
    while true {
        if let value = try await probe() { return value }
        guard clock.now < deadline else { throw TestSetupError("\(what()) did not happen within \(limit)") }
        try await Task.sleep(for: interval)
    }
}
