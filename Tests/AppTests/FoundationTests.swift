import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@Suite("Foundation: health, errors, configuration") struct FoundationTests {
    @Test("health answers 200 with the database checked, without a session", arguments: TestDatabase.kinds)
    func healthy(kind: DatabaseKind) async throws {
        try await TestApp.with(kind) { client, _ in
            // The first check opens the pool's first connection, which can take longer than the check's 2 s
            // on a machine busy with the rest of the suite; a load balancer probes again, and so does this.
            try await eventually("health to answer 200") {
                try await client.execute(uri: "/api/health", method: .get, headers: [.hostHeader: "10.0.0.1:8080"]) { $0.status == .ok }
            }
            try await client.execute(uri: "/api/health", method: .get, headers: [.hostHeader: "10.0.0.1:8080"]) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "healthy")
                #expect(response.json["database"] as? String == "ok")
                #expect(response.json["timestamp"] is String)
            }
        }
    }

    @Test("health answers 503 when the database does not answer")
    func unhealthy() async throws {
        // A port nothing listens on: the pool cannot connect, the check gives up within its timeout.
        let environment = ["DATA_DIR": NSTemporaryDirectory() + UUID().uuidString, "AUTO_MIGRATE": "false",
                           "POSTGRES_URL": "postgresql://u:p@127.0.0.1:9/db?sslmode=disable", "AUTH_SECRET": "0123456789abcdef0123"]
        let configuration = try AppConfiguration(environment: environment)
        let services = try await buildServices(configuration: configuration, logger: TestDatabase.logger)
        let app = buildApplication(services: services)
        try await app.test(.router) { client in
            let started = ContinuousClock.now
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.json["status"] as? String == "unhealthy")
            }
            // The check gives up after 2 s; the bound only catches a check that hangs, not a slow machine.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
        await services.database.close()
    }

    @Test("unknown API routes get the 404 envelope and keep the request id")
    func unknownRoute() async throws {
        try await TestApp.with { client, _ in
            let browser = try await Browser.guest(client)
            let response = try await browser.send(client, .get, "/api/nope", headers: [HTTPField.Name("x-request-id")!: "abc-123"])
            #expect(response.status == .notFound)
            #expect(response.json["code"] as? String == "not_found:api")
            #expect((response.json["message"] as? String)?.isEmpty == false)
            #expect(response.headers[HTTPField.Name("x-request-id")!] == "abc-123")
        }
    }

    @Test("a forged request id is replaced, not echoed")
    func forgedRequestID() async throws {
        try await TestApp.with { client, _ in
            try await client.execute(uri: "/api/health", method: .get, headers: [HTTPField.Name("x-request-id")!: "x\u{0A}evil log line"]) { response in
                let id = response.headers[HTTPField.Name("x-request-id")!] ?? ""
                #expect(!id.contains("evil"))
                #expect(id.count == 36)
            }
        }
    }

    @Test("malformed JSON and oversized bodies get clear envelopes")
    func badBodies() async throws {
        try await TestApp.with(environment: ["MAX_REQUEST_BODY_BYTES": "2048"]) { client, _ in
            let browser = try await Browser.guest(client)
            let malformed = try await browser.send(client, .post, "/api/auth/login", body: ByteBuffer(string: "{\"email\": "))
            #expect(malformed.status == .badRequest)
            #expect(malformed.json["code"] as? String == "bad_request:auth")
            let missing = try await browser.send(client, .post, "/api/auth/login", body: ByteBuffer(string: "{\"email\": \"a@b.co\"}"))
            #expect(missing.status == .badRequest)
            #expect((missing.json["message"] as? String)?.contains("password") == true)
            let huge = try await browser.send(client, .post, "/api/auth/login", body: ByteBuffer(string: String(repeating: "x", count: 4096)))
            #expect(huge.status == .contentTooLarge)
            #expect(huge.json["code"] as? String == "too_large:auth")
        }
    }

    @Test("responses carry the security headers")
    func securityHeaders() async throws {
        try await TestApp.with { client, _ in
            try await client.execute(uri: "/api/health", method: .get) { response in
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
        }
    }
}

@Suite("Configuration") struct ConfigurationTests {
    @Test("defaults give a local server on port 3000 with SQLite")
    func defaults() throws {
        let configuration = try AppConfiguration(environment: [:])
        #expect(configuration.port == 3000)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.mode == .development)
        #expect(configuration.awsRegion == "us-east-1")
        #expect(configuration.database == .sqlite(path: "data/chatbot.sqlite"))
        #expect(configuration.logFormat == .text)
        #expect(configuration.autoMigrate)
    }

    @Test("invalid values name the variable", arguments: [
        ("PORT", "eighty"), ("PORT", "70000"), ("LOG_LEVEL", "loud"), ("LOG_FORMAT", "xml"), ("AUTH_TRUST_HOST", "maybe"),
        ("AUTH_URL", "chat.example.com"), ("CHATBOT_ENV", "staging"), ("AUTO_MIGRATE", "sometimes"), ("AUTH_SECRET", "short"),
    ])
    func invalid(variable: String, value: String) {
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: [variable: value]) }
        do {
            _ = try AppConfiguration(environment: [variable: value])
        } catch {
            #expect(error.variable == variable)
            #expect(error.description.contains(variable))
        }
    }

    @Test("production without AUTH_SECRET refuses to start with a clear message")
    func productionNeedsSecret() async throws {
        let configuration = try AppConfiguration(environment: ["CHATBOT_ENV": "production", "DATA_DIR": NSTemporaryDirectory() + UUID().uuidString])
        do {
            _ = try await buildServices(configuration: configuration, logger: TestDatabase.logger)
            Issue.record("started without AUTH_SECRET")
        } catch let error as ConfigurationError {
            #expect(error.variable == "AUTH_SECRET")
            #expect(error.description.contains("openssl rand"))
        }
    }

    @Test("production logs JSON lines by default")
    func productionLogsJSON() throws {
        #expect(try AppConfiguration(environment: ["CHATBOT_ENV": "production"]).logFormat == .json)
    }
}
