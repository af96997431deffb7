import App
import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import TestSupport
import Testing

/// Finding 5: development mode answers only this machine, whatever the Host header says.
@Suite("Development mode") struct DevelopmentModeTests {
    /// An IPv4 address of this machine that is not loopback, to connect from "another machine".
    static let outsideAddress: String? = (try? System.enumerateDevices())?
        .compactMap { $0.address?.ipAddress }
        .first { !$0.hasPrefix("127.") && !$0.contains(":") }

    @Test(
        "a request from a non-loopback peer is refused in development, even with a loopback Host",
        .enabled(if: Self.outsideAddress != nil, "this machine has no non-loopback IPv4 address to connect through"))
    func refusesNetworkPeers() async throws {
        let outside = try #require(Self.outsideAddress)
        let dataDirectory = NSTemporaryDirectory() + "chatbot-dev-" + UUID().uuidString
        // HOST=0.0.0.0 on purpose: the peer check must hold even when the bind address is opened up.
        let configuration = try AppConfiguration(
            environment: TestApp.environment(.sqlite(path: dataDirectory + "/db.sqlite"), dataDirectory: dataDirectory, extra: ["HOST": "0.0.0.0"]))
        let services = try await buildServices(configuration: configuration, logger: TestDatabase.logger)
        let app = buildApplication(services: services)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            func status(via address: String) async throws -> (Int, String) {
                var request = HTTPClientRequest(url: "http://\(address):\(port)/api/auth/guest?redirectUrl=/")
                request.headers.add(name: "Host", value: "localhost:3000")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                let body = try await response.body.collect(upTo: 65_536)
                return (Int(response.status.code), String(buffer: body))
            }
            let (remote, message) = try await status(via: outside)
            #expect(remote == 403)
            #expect(message.contains("development mode"))
            #expect(try await status(via: "127.0.0.1").0 == 303)
        }
        await services.database.close()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
