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
        defer { _ = client.shutdown() }
        func status(via address: String) async throws -> (Int, String) {
            var request = HTTPClientRequest(url: "http://\(address):\(port)/api/auth/guest?redirectUrl=/")
            request.headers.add(name: "Host", value: "localhost:3000")
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 65_536)
            return (Int(response.status.code), String(buffer: body))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            // Wait for the listener (the state, not a fixed time).
            var local: (Int, String)?
            for _ in 0..<200 where local == nil {
                local = try? await status(via: "127.0.0.1")
                if local == nil { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(local?.0 == 303)
            let (remote, message) = try await status(via: outside)
            #expect(remote == 403)
            #expect(message.contains("development mode"))
            group.cancelAll()
        }
        await services.database.close()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
