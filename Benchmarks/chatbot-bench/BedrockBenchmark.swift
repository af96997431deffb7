import Bedrock
import Foundation
import NIOCore

/// Signing per request and event-stream decoding throughput, on this machine, in-process.
enum BedrockBenchmark {
    static func run() async throws {
        print("Bedrock client benchmarks (release build recommended)")
        self.signing()
        try self.decoding()
        try await self.decodingAsync()
    }

    /// Times `body` over `iterations`, best of `rounds`.
    static func measure(iterations: Int, rounds: Int = 5, _ body: () throws -> Void) rethrows -> Duration {
        var best = Duration.seconds(1_000_000)
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            for _ in 0..<iterations { try body() }
            best = min(best, ContinuousClock.now - start)
        }
        return best
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func signing() {
        let signer = SigV4Signer(region: "us-east-1")
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "token")
        let body = Array(String(repeating: "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello there\"}]}]}", count: 20).utf8)
        let path = BedrockEndpoint(scheme: "https", host: "bedrock-runtime.us-east-1.amazonaws.com").path(
            modelID: "us.anthropic.claude-haiku-4-5-20251001-v1:0", operation: "converse-stream")
        let headers = [("host", "bedrock-runtime.us-east-1.amazonaws.com"), ("content-type", "application/json")]
        let date = Date()
        var sink = 0
        let iterations = 20_000
        let elapsed = self.measure(iterations: iterations) {
            sink &+= signer.sign(method: "POST", path: path, headers: headers, body: body, credentials: credentials, date: date).signature.utf8.count
        }
        let perOp = self.seconds(elapsed) / Double(iterations)
        print(String(format: "sigv4 sign (%d-byte body): %.2f µs/op, %.0f ops/s  [checksum %d]", body.count, perOp * 1e6, 1 / perOp, sink % 10))
    }

    /// A realistic stream: many small text deltas with padding, as Bedrock sends them.
    static func sampleStream(events: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes += EventStreamEncoder.event("messageStart", json: Array(#"{"p":"abcdefghijklmn","role":"assistant"}"#.utf8))
        for index in 0..<events {
            let json = #"{"contentBlockIndex":0,"delta":{"text":"token \#(index) of the answer "},"p":"abcdefghijklmnopqrstuvwxyzABCDEFGH"}"#
            bytes += EventStreamEncoder.event("contentBlockDelta", json: Array(json.utf8))
        }
        bytes += EventStreamEncoder.event("contentBlockStop", json: Array(#"{"contentBlockIndex":0,"p":"abc"}"#.utf8))
        bytes += EventStreamEncoder.event("messageStop", json: Array(#"{"stopReason":"end_turn","p":"abcd"}"#.utf8))
        return bytes
    }

    static func decoding() throws {
        let events = 10_000
        let stream = self.sampleStream(events: events)
        let chunk = 1_500
        var frames = 0
        let elapsed = try self.measure(iterations: 1) {
            var decoder = EventStreamFrameDecoder()
            var offset = 0
            while offset < stream.count {
                let end = min(offset + chunk, stream.count)
                decoder.append(stream[offset..<end])
                while let _ = try decoder.next() { frames += 1 }
                offset = end
            }
            try decoder.finish()
        }
        let secs = self.seconds(elapsed)
        print(
            String(
                format: "event-stream frames (%d frames, %.1f MB, %d-byte reads): %.1f MB/s, %.0f frames/s", events + 3,
                Double(stream.count) / 1e6, chunk, Double(stream.count) / 1e6 / secs, Double(events + 3) / secs))
        var typed = 0
        let typedElapsed = try self.measure(iterations: 1) {
            var decoder = EventStreamFrameDecoder()
            decoder.append(stream)
            while let message = try decoder.next() {
                if try ConverseStreamEvent.decode(message, modelID: "bench") != nil { typed += 1 }
            }
        }
        let typedSecs = self.seconds(typedElapsed)
        print(
            String(
                format: "typed ConverseStream events (frames + JSON): %.1f MB/s, %.0f events/s", Double(stream.count) / 1e6 / typedSecs,
                Double(events + 3) / typedSecs))
    }

    static func decodingAsync() async throws {
        let stream = self.sampleStream(events: 10_000)
        let chunks = stride(from: 0, to: stream.count, by: 1_500).map { ByteBuffer(bytes: stream[$0..<min($0 + 1_500, stream.count)]) }
        var best = Duration.seconds(1_000)
        var count = 0
        for _ in 0..<5 {
            let source = AsyncStream<ByteBuffer> { continuation in
                for chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }
            let start = ContinuousClock.now
            count = 0
            for try await _ in EventStreamMessages(source) { count += 1 }
            best = min(best, ContinuousClock.now - start)
        }
        let secs = self.seconds(best)
        print(String(format: "EventStreamMessages AsyncSequence: %.1f MB/s, %.0f frames/s", Double(stream.count) / 1e6 / secs, Double(count) / secs))
    }
}
