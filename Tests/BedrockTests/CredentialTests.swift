import AsyncHTTPClient
import BedrockFake
import Foundation
import Testing

@testable import Bedrock

/// The credential chain, the shared files, the container provider and the refreshing cache.
@Suite struct CredentialTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bedrock-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func environmentWinsOverFilesAndContainer() async throws {
        let dir = try Self.temporaryDirectory()
        let credentials = try Self.write("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n", "credentials", in: dir)
        let env = [
            "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "envtoken",
            "AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/never",
        ]
        let resolved = try await CredentialProviderChain.default(environment: env, httpClient: testHTTPClient).resolve()
        #expect(resolved.credentials == AWSCredentials(accessKeyID: "ENVKEY", secretAccessKey: "envsecret", sessionToken: "envtoken"))
        #expect(resolved.source == "environment variables")
    }

    @Test func profilesFromCredentialsThenConfig() async throws {
        let dir = try Self.temporaryDirectory()
        let credentials = try Self.write(
            """
            # comment
            [default]
            aws_access_key_id = DEFAULTKEY
            aws_secret_access_key = defaultsecret

            [work]
            aws_access_key_id=WORKKEY
            aws_secret_access_key=worksecret
            aws_session_token=worktoken
            """, "credentials", in: dir)
        let config = try Self.write(
            """
            [default]
            region = eu-west-1
            [profile cfgonly]
            region = us-west-2
            aws_access_key_id = CFGKEY
            aws_secret_access_key = cfgsecret
              s3 =
                max_concurrent_requests = 20
            """, "config", in: dir)
        var env = ["AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_CONFIG_FILE": config, "HOME": dir.path]
        let chain = { (env: [String: String]) in CredentialProviderChain.default(environment: env, httpClient: testHTTPClient) }
        #expect(try await chain(env).resolve().credentials.accessKeyID == "DEFAULTKEY")
        #expect(BedrockClientConfiguration.region(environment: env) == "eu-west-1")
        env["AWS_PROFILE"] = "work"
        let work = try await chain(env).resolve()
        #expect(work.credentials.sessionToken == "worktoken")
        #expect(work.source.contains("profile work"))
        env["AWS_PROFILE"] = "cfgonly"
        #expect(try await chain(env).resolve().credentials.accessKeyID == "CFGKEY")
        #expect(BedrockClientConfiguration.region(environment: env) == "us-west-2")
        env["AWS_REGION"] = "ap-south-1"
        #expect(BedrockClientConfiguration.region(environment: env) == "ap-south-1")
    }

    @Test func homeDirectoryDefaults() async throws {
        let dir = try Self.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        _ = try Self.write("[default]\naws_access_key_id = HOMEKEY\naws_secret_access_key = s\n", ".aws/credentials", in: dir)
        let resolved = try await CredentialProviderChain.default(environment: ["HOME": dir.path], httpClient: testHTTPClient).resolve()
        #expect(resolved.credentials.accessKeyID == "HOMEKEY")
    }

    @Test func nothingFoundSaysWhatWasTried() async throws {
        let dir = try Self.temporaryDirectory()
        let env = ["HOME": dir.path, "AWS_ACCESS_KEY_ID": "ONLYKEY"]
        await #expect { try await CredentialProviderChain.default(environment: env, httpClient: testHTTPClient).resolve() } throws: { error in
            guard let error = error as? BedrockError, error.code == .credentialsMissing else { return false }
            return error.message.contains("AWS_SECRET_ACCESS_KEY is not") && error.message.contains(".aws/credentials not found")
                && error.message.contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        }
    }

    @Test func fullURIAllowedHosts() {
        for allowed in ["https://example.com/creds", "http://127.0.0.1:8080/x", "http://127.1.2.3/x", "http://localhost/x", "http://169.254.170.2/v2",
            "http://169.254.170.23/v1", "http://[fd00:ec2::23]/x", "http://[::1]:9/x"]
        {
            #expect(ContainerCredentialProvider.isAllowedFullURI(allowed), "\(allowed)")
        }
        for refused in ["http://example.com/creds", "http://10.0.0.1/x", "http://169.254.169.254/x", "ftp://127.0.0.1/x", "http://127.0.0.1.evil.com/x", "nonsense"] {
            #expect(!ContainerCredentialProvider.isAllowedFullURI(refused), "\(refused)")
        }
    }

    @Test func relativeURIUsesTheMetadataHostAndToken() async throws {
        let keys = FakeKeyStore()
        let endpoint = FakeContainerCredentialsServer(keys: keys, lifetime: 3600, requiredToken: "Bearer-ish token")
        let url = try await endpoint.start()
        defer { Task { await endpoint.stop() } }
        let env = ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/loses",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer-ish token"]
        // A generous per-request timeout: with botocore's 2 s a loaded machine times out the first fetch, the
        // provider rightly retries, and the fetch count below is no longer one.
        let provider = ContainerCredentialProvider(environment: env, httpClient: testHTTPClient, metadataHost: url, timeout: .seconds(30))
        guard case .found(let credentials) = try await provider.lookup() else { Issue.record("not found"); return }
        #expect(credentials.accessKeyID == "ASIAFAKE00000001")
        #expect(credentials.sessionToken != nil)
        #expect(credentials.expiration.map { abs($0.timeIntervalSinceNow - 3600) < 5 } == true)
        #expect(endpoint.fetches.map(\.path) == ["/v2/credentials/abc"])
        #expect(endpoint.fetches.first?.accept == "application/json")
        #expect(endpoint.fetches.first?.authorization == "Bearer-ish token")
    }

    @Test func fullURIWithTokenFileReadOnEveryFetch() async throws {
        let endpoint = FakeContainerCredentialsServer(keys: FakeKeyStore(), lifetime: 3600)
        let url = try await endpoint.start()
        defer { Task { await endpoint.stop() } }
        let dir = try Self.temporaryDirectory()
        let tokenFile = try Self.write("first-token", "token", in: dir)
        let env = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "env-token-loses"]
        let provider = ContainerCredentialProvider(environment: env, httpClient: testHTTPClient)
        _ = try await provider.lookup()
        _ = try Self.write("second-token", "token", in: dir)
        _ = try await provider.lookup()
        #expect(endpoint.fetches.map(\.authorization) == ["first-token", "second-token"])
        #expect(provider.sourceName == "container credentials (\(url)/creds)")
    }

    @Test func tokenWithLineBreakIsRefusedBeforeAnyRequest() async throws {
        let endpoint = FakeContainerCredentialsServer(keys: FakeKeyStore(), lifetime: 3600)
        let url = try await endpoint.start()
        defer { Task { await endpoint.stop() } }
        let dir = try Self.temporaryDirectory()
        let tokenFile = try Self.write("token-with-newline\n", "token", in: dir)
        for env in [["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile], ["AWS_CONTAINER_AUTHORIZATION_TOKEN": "a\r\nInjected: yes"]] {
            let provider = ContainerCredentialProvider(
                environment: env.merging(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url + "/creds"]) { $1 }, httpClient: testHTTPClient, retryDelay: .milliseconds(1))
            await #expect { try await provider.lookup() } throws: { ($0 as? BedrockError)?.message.contains("line break") == true }
        }
        #expect(endpoint.fetches.isEmpty)
    }

    @Test func disallowedFullURIIsRefused() async {
        let provider = ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://203.0.113.9/creds"], httpClient: testHTTPClient)
        await #expect { try await provider.lookup() } throws: { ($0 as? BedrockError)?.message.contains("not allowed") == true }
    }

    @Test func retriesNon200ThenGivesUpAfterThreeAttempts() async throws {
        let endpoint = FakeContainerCredentialsServer(keys: FakeKeyStore(), lifetime: 3600)
        let url = try await endpoint.start()
        defer { Task { await endpoint.stop() } }
        let provider = ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url + "/c"], httpClient: testHTTPClient, retryDelay: .milliseconds(5))
        endpoint.failNext(2)
        guard case .found = try await provider.lookup() else { Issue.record("expected success on the third attempt"); return }
        #expect(endpoint.fetches.count == 3)
        endpoint.failNext(3)
        await #expect { try await provider.lookup() } throws: { ($0 as? BedrockError)?.message.contains("after 3 attempts") == true }
        #expect(endpoint.fetches.count == 6)
    }

    @Test func isoTimestamps() {
        #expect(ISO8601Timestamp.parse("2025-01-01T00:15:00Z") == Date(timeIntervalSince1970: 1_735_690_500))
        #expect(ISO8601Timestamp.parse("2025-01-01T00:15:00.5Z") == Date(timeIntervalSince1970: 1_735_690_500.5))
        #expect(ISO8601Timestamp.parse("2025-01-01T02:15:00+02:00") == Date(timeIntervalSince1970: 1_735_690_500))
        #expect(ISO8601Timestamp.parse("2025-01-01") == nil)
        #expect(ISO8601Timestamp.parse("2025-01-01T00:15:00") == nil)
    }
}
