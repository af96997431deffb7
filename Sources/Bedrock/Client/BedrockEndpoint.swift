import Foundation

/// Where Bedrock Runtime requests go: scheme, host, port and an optional base path.
public struct BedrockEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// `https`, or `http` for loopback tests and proxies.
    public var scheme: String
    public var host: String
    /// The port, `nil` for the scheme's default.
    public var port: Int?
    /// A path prefix without a trailing `/`, usually empty.
    public var basePath: String

    public init(scheme: String, host: String, port: Int? = nil, basePath: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// Parses a URL such as `http://127.0.0.1:4010`; `nil` when it is not http(s) with a host.
    public init?(url text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return nil }
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        self.init(scheme: scheme, host: host, port: url.port, basePath: path)
    }

    /// `https://bedrock-runtime.{region}.amazonaws.com`, unless `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` or then
    /// `AWS_ENDPOINT_URL` says otherwise (the SDKs' standard overrides).
    public static func resolve(region: String, environment: [String: String]) throws -> BedrockEndpoint {
        for name in ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            guard let endpoint = BedrockEndpoint(url: value) else {
                throw BedrockError(.invalidResponse, message: "\(name) (\(value)) is not an http(s) URL with a host.")
            }
            return endpoint
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return BedrockEndpoint(scheme: "https", host: "bedrock-runtime.\(region).\(suffix)")
    }

    /// The `host` header: the port is included when it is not the scheme's default (as botocore signs it).
    public var hostHeader: String {
        let bracketed = self.host.contains(":") && !self.host.hasPrefix("[") ? "[\(self.host)]" : self.host
        guard let port = self.port, !(self.scheme == "https" && port == 443), !(self.scheme == "http" && port == 80) else {
            return bracketed
        }
        return "\(bracketed):\(port)"
    }

    /// The wire path of an operation on a model: `/model/{percent-encoded id}/{operation}`.
    public func path(modelID: String, operation: String) -> String {
        "\(self.basePath)/model/\(AWSPercentEncoding.encodeLabel(modelID))/\(operation)"
    }

    /// The full URL of a path.
    public func url(path: String) -> String {
        "\(self.scheme)://\(self.hostHeader)\(path)"
    }

    /// The base URL.
    public var description: String { self.url(path: self.basePath) }
}
