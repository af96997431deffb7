import App
import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Storage
import TestSupport
import Testing

/// Finding 5: development mode answers only this machine, whatever the Host header says.
@Suite("Development mode") struct DevelopmentModeTests {
    /// An IPv4 address of this machine that is not loopback, to connect from "another machine".
    static let outsideAddress: String? = (try? System.enumerateDevices())?
        .compactMap { $0.address?.ipAddress }
        .first { !$0.hasPrefix("127.") && !$0.contains(":") }

    static func freePort() async throws -> Int {
        let socket = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "0.0.0.0", port: 0).get()
        let port = socket.localAddress?.port
        try await socket.close().get()
        return try #require(port)
    }

    @Test(
        "a request from a non-loopback peer is refused in development, even with a loopback Host",
        .enabled(if: Self.outsideAddress != nil, "this machine has no non-loopback IPv4 address to connect through"))
    func refusesNetworkPeers() async throws {
        let outside = try #require(Self.outsideAddress)
        // A port found free can be taken by another test's server before this one binds it (the answer is then
        // not ours): try again on a new port rather than assert against a stranger.
        for attempt in 1...3 {
            if try await self.checkPeers(outside: outside) { return }
            Issue.record("attempt \(attempt): another server answered on the chosen port", severity: .warning)
        }
        Issue.record("three chosen ports were all taken by other servers")
    }

    /// Runs `serve` as the CLI does and asks from loopback and from `outside`; false when the port was not ours.
    private func checkPeers(outside: String) async throws -> Bool {
        let dataDirectory = NSTemporaryDirectory() + "chatbot-dev-" + UUID().uuidString
        let port = try await Self.freePort()
        // HOST=0.0.0.0 on purpose: the peer check must hold even when the bind address is opened up.
        // (HummingbirdTesting's live mode always binds localhost, so the application is run as `serve` runs it.)
        let configuration = try AppConfiguration(
            environment: TestApp.environment(
                .sqlite(path: dataDirectory + "/db.sqlite"), dataDirectory: dataDirectory, extra: ["HOST": "0.0.0.0", "PORT": String(port)]))
        let services = try await buildServices(configuration: configuration, logger: TestDatabase.logger)
        let app = buildApplication(services: services)
        // Redirects not followed: the guest redirect leads to a page that sends a cookie-less client back to it.
        let client = HTTPClient(configuration: .init(redirectConfiguration: .disallow))
        func status(via address: String) async throws -> (Int, String) {
            var request = HTTPClientRequest(url: "http://\(address):\(port)/api/auth/guest?redirectUrl=/")
            request.headers.add(name: "Host", value: "localhost:3000")
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 65_536)
            return (Int(response.status.code), String(buffer: body))
        }
        let result: Result<Bool, any Error>
        do {
            let ours = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService() }
                defer { group.cancelAll() }
                // Wait for the listener (the state, not a fixed time).
                var local: (Int, String)?
                for _ in 0..<200 where local == nil {
                    local = try? await status(via: "127.0.0.1")
                    if local == nil { try await Task.sleep(for: .milliseconds(25)) }
                }
                guard local?.0 == 303 else { return false }
                let (remote, message) = try await status(via: outside)
                #expect(remote == 403)
                #expect(message.contains("development mode"))
                return true
            }
            result = .success(ours)
        } catch {
            result = .failure(error)
        }
        // Closed on every path: an SQLite connection released unclosed traps and takes the whole test run down.
        try? await client.shutdown()
        await services.database.close()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        return try result.get()
    }
}
