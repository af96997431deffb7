/// Exponential backoff with full jitter: attempt n waits a random time in `0…min(maxDelay, baseDelay·2ⁿ⁻¹)`.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, including the first (the SDKs' standard mode uses 3).
    public var maxAttempts: Int
    /// The cap of the first backoff.
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failed (1-based).
    public func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let cap = min(self.maxDelay, self.baseDelay * (1 << exponent))
        return cap * random
    }
}

/// Client-side time limits.
public struct BedrockTimeouts: Sendable, Equatable {
    /// Establishing the TCP/TLS connection (set on the `HTTPClient`; see `BedrockClient.httpClientConfiguration`).
    public var connect: Duration
    /// From sending the request to the response head.
    public var firstByte: Duration
    /// Between two reads of a streaming body.
    public var idle: Duration

    public init(connect: Duration = .seconds(5), firstByte: Duration = .seconds(60), idle: Duration = .seconds(60)) {
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
    }
}
