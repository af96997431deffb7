import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import TestSupport

/// Builds the real application over a fresh database of the given kind.
enum TestApp {
    static func environment(_ configuration: DatabaseConfiguration, dataDirectory: String, extra: [String: String]) -> [String: String] {
        var env: [String: String] = [
            "DATA_DIR": dataDirectory,
            "AUTH_SECRET": "test-secret-0123456789-abcdefghij",
            "LOG_LEVEL": "warning",
            "PORT": "0",
        ]
        if case .postgres(let settings) = configuration {
            env["POSTGRES_URL"] = "postgresql://\(settings.username)\(settings.password.map { ":" + $0 } ?? "")@\(settings.host):\(settings.port)/\(settings.database)?sslmode=disable"
        }
        return env.merging(extra) { _, new in new }
    }

    static func with<T: Sendable>(
        _ kind: DatabaseKind = .sqlite,
        environment extra: [String: String] = [:],
        _ body: @Sendable (any TestClientProtocol, AppServices) async throws -> T
    ) async throws -> T {
        let (database, cleanup) = try await TestDatabase.make(kind)
        let dataDirectory = NSTemporaryDirectory() + "chatbot-app-" + UUID().uuidString
        var configuration = try AppConfiguration(environment: self.environment(database, dataDirectory: dataDirectory, extra: extra))
        // A title that comes late on a loaded machine is still a title: the tests wait for it, not a deadline.
        configuration.chatTiming.titleWait = .seconds(30)
        let services = try await buildServices(configuration: configuration, logger: TestDatabase.logger)
        let app = buildApplication(services: services)
        do {
            let result = try await app.test(.router) { client in try await body(client, services) }
            await services.database.close()
            await cleanup()
            try? FileManager.default.removeItem(atPath: dataDirectory)
            return result
        } catch {
            await services.database.close()
            await cleanup()
            try? FileManager.default.removeItem(atPath: dataDirectory)
            throw error
        }
    }
}

/// Request helpers: a browser-like client on http://localhost:3000 that keeps its session cookie.
struct Browser: Sendable {
    var cookie: String?
    var origin = "http://localhost:3000"

    var headers: HTTPFields {
        var headers: HTTPFields = [.hostHeader: "localhost:3000"]
        if let cookie { headers[.cookie] = cookie }
        return headers
    }

    /// Signs in as a new guest the way a browser does (the guest redirect), keeping the cookie.
    static func guest(_ client: some TestClientProtocol) async throws -> Browser {
        var browser = Browser()
        try await client.execute(uri: "/api/auth/guest?redirectUrl=/", method: .get, headers: browser.headers) { response in
            browser.cookie = response.headers[.setCookie].map { String($0.split(separator: ";")[0]) }
        }
        return browser
    }

    func json(_ value: some Encodable) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONEncoder().encode(value))
    }

    func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, body: ByteBuffer? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = self.headers
        if body != nil { headers[.contentType] = "application/json" }
        if method != .get { headers[HTTPField.Name("Origin")!] = self.origin }
        headers.append(contentsOf: extra)
        return try await client.execute(uri: uri, method: method, headers: headers, body: body)
    }
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: self.body)) as? [String: Any]) ?? [:]
    }
    var text: String { String(buffer: self.body) }
}

extension HTTPField.Name {
    static let hostHeader = HTTPField.Name("Host")!
}
