import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Temporary credentials from the ECS / App Runner container endpoint, as botocore's `ContainerProvider` fetches them.
public struct ContainerCredentialProvider: CredentialProvider {
    /// The fixed host of `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (configurable so tests can point it at loopback).
    public static let defaultMetadataHost = "http://169.254.170.2"

    let environment: [String: String]
    let httpClient: HTTPClient
    let metadataHost: String
    let timeout: TimeAmount
    let attempts: Int
    let retryDelay: Duration

    /// Creates the provider.
    ///
    /// - Parameters:
    ///   - environment: the injected environment (`AWS_CONTAINER_*`).
    ///   - metadataHost: scheme and host for relative URIs.
    ///   - timeout: per request; botocore uses 2 s.
    ///   - attempts: botocore makes 3, 1 s apart, on connection errors and on any non-200.
    public init(
        environment: [String: String], httpClient: HTTPClient, metadataHost: String = Self.defaultMetadataHost,
        timeout: TimeAmount = .seconds(2), attempts: Int = 3, retryDelay: Duration = .seconds(1)
    ) {
        self.environment = environment
        self.httpClient = httpClient
        self.metadataHost = metadataHost
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.retryDelay = retryDelay
    }

    /// `container credentials (<url>)`.
    public var sourceName: String {
        (try? self.endpointURL()).flatMap { $0 }.map { "container credentials (\($0))" } ?? "container credentials"
    }

    /// The URL to fetch, `nil` when neither variable is set; throws for a FULL_URI host that is not allowed.
    public func endpointURL() throws -> String? {
        if let relative = self.environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            return self.metadataHost + (relative.hasPrefix("/") ? relative : "/" + relative)
        }
        guard let full = self.environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty else { return nil }
        guard Self.isAllowedFullURI(full) else {
            throw BedrockError(
                .credentialsMissing,
                message: "AWS_CONTAINER_CREDENTIALS_FULL_URI (\(full)) is not allowed: it must be https, or http to a loopback "
                    + "address, 169.254.170.2, 169.254.170.23, fd00:ec2::23 or localhost.")
        }
        return full
    }

    /// botocore's rule: any https URL; http only to loopback or the ECS/EKS agent addresses.
    public static func isAllowedFullURI(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), var host = url.host?.lowercased() else { return false }
        if scheme == "https" { return true }
        guard scheme == "http" else { return false }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if ["localhost", "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "::1", "0:0:0:0:0:0:0:1"].contains(host) { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Fetches credentials; `.notConfigured` when no URI variable is set.
    public func lookup() async throws -> CredentialLookup {
        guard let url = try self.endpointURL() else {
            return .notConfigured(
                "container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        }
        var lastError: (any Error)?
        for attempt in 1...self.attempts {
            do {
                return .found(try await self.fetch(url))
            } catch let error as BedrockError where error.upstreamCode == "InvalidToken" {
                throw error
            } catch {
                lastError = error
                if attempt < self.attempts { try await Task.sleep(for: self.retryDelay) }
            }
        }
        throw BedrockError(
            .credentialsMissing,
            message: "Could not get credentials from the container endpoint \(url) after \(self.attempts) attempts: \(lastError.map { "\($0)" } ?? "no answer")")
    }

    /// The authorization token: the file (read on every fetch, verbatim) wins over the variable.
    func authorizationToken() throws -> String? {
        var token: String?
        if let path = self.environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BedrockError(.credentialsMissing, message: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (\(path)) cannot be read.")
            }
            token = String(decoding: data, as: UTF8.self)
        } else if let value = self.environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !value.isEmpty {
            token = value
        }
        if let token, token.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            // A header value with CR/LF could inject headers; botocore refuses it too.
            throw BedrockError(
                .credentialsMissing,
                message: "The container authorization token contains a line break (CR or LF); remove it (a token file must not end "
                    + "with a newline).", upstreamCode: "InvalidToken")
        }
        return token
    }

    func fetch(_ url: String) async throws -> AWSCredentials {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        if let token = try self.authorizationToken() {
            request.headers.add(name: "Authorization", value: token)
        }
        let response = try await self.httpClient.execute(request, timeout: self.timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else {
            throw BedrockError(
                .credentialsMissing,
                message: "The container credentials endpoint answered HTTP \(response.status.code): \(String(buffer: body).prefix(200))")
        }
        let payload = try JSONDecoder().decode(ContainerCredentialsPayload.self, from: body)
        guard let expiration = ISO8601Timestamp.parse(payload.Expiration) else {
            throw BedrockError(.credentialsMissing, message: "The container credentials endpoint sent an unreadable Expiration: \(payload.Expiration)")
        }
        return AWSCredentials(
            accessKeyID: payload.AccessKeyId, secretAccessKey: payload.SecretAccessKey, sessionToken: payload.Token, expiration: expiration)
    }
}

/// The endpoint's JSON: all four members are required.
struct ContainerCredentialsPayload: Decodable {
    var AccessKeyId: String
    var SecretAccessKey: String
    var Token: String
    var Expiration: String
}
