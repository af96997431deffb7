import Foundation
import Synchronization
import Testing

@testable import Bedrock

/// A provider that issues numbered credentials valid for `lifetime`, optionally slowly or failing.
final class CountingProvider: CredentialProvider {
    struct State {
        var calls = 0
        var failing = false
    }
    let state = Mutex(State())
    let lifetime: TimeInterval
    let delay: Duration
    let now: @Sendable () -> Date

    init(lifetime: TimeInterval, delay: Duration = .zero, now: @escaping @Sendable () -> Date) {
        self.lifetime = lifetime
        self.delay = delay
        self.now = now
    }

    var sourceName: String { "counting" }
    var calls: Int { self.state.withLock { $0.calls } }
    func setFailing(_ failing: Bool) { self.state.withLock { $0.failing = failing } }

    func lookup() async throws -> CredentialLookup {
        let (call, failing) = self.state.withLock { state -> (Int, Bool) in
            state.calls += 1
            return (state.calls, state.failing)
        }
        if self.delay > .zero { try await Task.sleep(for: self.delay) }
        if failing { throw BedrockError(.connection, message: "endpoint down") }
        return .found(AWSCredentials(accessKeyID: "KEY\(call)", secretAccessKey: "s", sessionToken: "t", expiration: self.now().addingTimeInterval(self.lifetime)))
    }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { self.time.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { self.time.withLock { $0 += seconds } }
}

@Suite struct CachingCredentialProviderTests {
    @Test func refreshesInTheAdvisoryAndMandatoryWindows() async throws {
        let clock = ManualClock()
        let provider = CountingProvider(lifetime: 3600, now: { clock.now })
        let cache = CachingCredentialProvider(chain: CredentialProviderChain([provider]), now: { clock.now })
        #expect(try await cache.credentials().accessKeyID == "KEY1")
        clock.advance(3600 - 16 * 60)  // 16 min left: still fresh
        #expect(try await cache.credentials().accessKeyID == "KEY1")
        clock.advance(2 * 60)  // 14 min left: advisory refresh
        #expect(try await cache.credentials().accessKeyID == "KEY2")
        #expect(provider.calls == 2)
    }

    @Test func advisoryFailureKeepsOldMandatoryFailureThrows() async throws {
        let clock = ManualClock()
        let provider = CountingProvider(lifetime: 3600, now: { clock.now })
        let cache = CachingCredentialProvider(chain: CredentialProviderChain([provider]), now: { clock.now })
        _ = try await cache.credentials()
        provider.setFailing(true)
        clock.advance(3600 - 12 * 60)  // advisory window
        #expect(try await cache.credentials().accessKeyID == "KEY1")
        clock.advance(3 * 60)  // 9 min left: mandatory
        await #expect(throws: BedrockError.self) { try await cache.credentials() }
        provider.setFailing(false)
        #expect(try await cache.credentials().accessKeyID == "KEY4")
    }

    @Test func shortLivedCredentialsRefreshOnEveryCall() async throws {
        let clock = ManualClock()
        let provider = CountingProvider(lifetime: 300, now: { clock.now })
        let cache = CachingCredentialProvider(chain: CredentialProviderChain([provider]), now: { clock.now })
        for expected in 1...3 {
            #expect(try await cache.credentials().accessKeyID == "KEY\(expected)")
        }
    }

    @Test func alreadyExpiredRefreshIsAnError() async throws {
        let clock = ManualClock()
        let provider = CountingProvider(lifetime: -1, now: { clock.now })
        let cache = CachingCredentialProvider(chain: CredentialProviderChain([provider]), now: { clock.now })
        await #expect { try await cache.credentials() } throws: { ($0 as? BedrockError)?.code == .credentialsExpired }
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let provider = CountingProvider(lifetime: 3600, delay: .milliseconds(200), now: { Date() })
        let cache = CachingCredentialProvider(chain: CredentialProviderChain([provider]))
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 { group.addTask { try await cache.credentials().accessKeyID } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == ["KEY1"])
        #expect(provider.calls == 1)
        #expect(await cache.source == "counting")
    }

    @Test func staticCredentialsAreCachedForever() async throws {
        let cache = CachingCredentialProvider(chain: CredentialProviderChain([EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B"])]))
        _ = try await cache.credentials()
        _ = try await cache.credentials()
        #expect(await cache.resolutionCount == 1)
        await cache.invalidate()
        _ = try await cache.credentials()
        #expect(await cache.resolutionCount == 2)
    }
}
