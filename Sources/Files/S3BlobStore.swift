import AsyncHTTPClient
import Bedrock
import Foundation
import NIOCore
import NIOHTTP1
import NIOFoundationCompat

/// Amazon S3 (or an S3-compatible server) as the blob store, signed with the project's own SigV4 signer.
///
/// Keys hold only unreserved characters (`FileService` makes them), so the path needs no encoding and the
/// canonical URI equals the wire path. S3 signs the payload hash, sent as `x-amz-content-sha256`.
public struct S3BlobStore: BlobStore {
    public struct Configuration: Sendable {
        public var bucket: String
        public var region: String
        /// Path-style base URL of an S3-compatible server (tests, MinIO); nil for AWS's virtual-hosted endpoint.
        public var endpoint: URL?
        /// `x-amz-server-side-encryption`: `AES256` (S3-managed keys) or `aws:kms`.
        public var serverSideEncryption: String

        public init(bucket: String, region: String, endpoint: URL? = nil, serverSideEncryption: String = "AES256") {
            self.bucket = bucket
            self.region = region
            self.endpoint = endpoint
            self.serverSideEncryption = serverSideEncryption
        }
    }

    let configuration: Configuration
    let credentials: @Sendable () async throws -> AWSCredentials
    let httpClient: HTTPClient
    let signer: SigV4Signer

    public init(configuration: Configuration, httpClient: HTTPClient, credentials: @escaping @Sendable () async throws -> AWSCredentials) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.credentials = credentials
        self.signer = SigV4Signer(region: configuration.region, service: "s3")
    }

    public var name: String { "s3://\(self.configuration.bucket)" }

    public func put(key: String, data: Data, mediaType: String) async throws {
        let response = try await self.send(
            "PUT", key: key, body: data,
            extraHeaders: [("content-type", mediaType), ("x-amz-server-side-encryption", self.configuration.serverSideEncryption)])
        guard response.status == 200 else { throw S3Error(operation: "PUT", status: response.status, body: response.body) }
    }

    public func get(key: String) async throws -> Data? {
        let response = try await self.send("GET", key: key, body: Data())
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw S3Error(operation: "GET", status: response.status, body: response.body) }
        return response.body
    }

    public func delete(keys: [String]) async throws {
        for key in keys {
            let response = try await self.send("DELETE", key: key, body: Data())
            guard response.status == 204 || response.status == 200 || response.status == 404 else {
                throw S3Error(operation: "DELETE", status: response.status, body: response.body)
            }
        }
    }

    /// The URL, host header and wire path of an object.
    func location(key: String) -> (url: String, host: String, path: String) {
        if let endpoint = self.configuration.endpoint {
            var base = endpoint.absoluteString
            while base.hasSuffix("/") { base.removeLast() }
            let host = endpoint.port.map { "\(endpoint.host ?? ""):\($0)" } ?? (endpoint.host ?? "")
            let prefix = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
            let path = "\(prefix)/\(self.configuration.bucket)/\(key)"
            return (base + "/\(self.configuration.bucket)/\(key)", host, path)
        }
        let host = "\(self.configuration.bucket).s3.\(self.configuration.region).amazonaws.com"
        return ("https://\(host)/\(key)", host, "/\(key)")
    }

    func send(_ method: String, key: String, body: Data, extraHeaders: [(String, String)] = []) async throws -> (status: Int, body: Data) {
        let where_ = self.location(key: key)
        var headers = [("host", where_.host), ("x-amz-content-sha256", SigV4Signer.hexSHA256(body))] + extraHeaders
        let signature = self.signer.sign(
            method: method, path: where_.path, headers: headers, body: body, credentials: try await self.credentials(), date: Date())
        headers += signature.headersToAdd
        var request = HTTPClientRequest(url: where_.url)
        request.method = .init(rawValue: method)
        for (name, value) in headers where name != "host" { request.headers.add(name: name, value: value) }
        if method == "PUT" {
            request.headers.add(name: "content-length", value: "\(body.count)")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response = try await self.httpClient.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return (Int(response.status.code), Data(buffer: buffer))
    }
}

/// S3 answered with something other than success.
public struct S3Error: Error, CustomStringConvertible {
    public var operation: String
    public var status: Int
    public var body: Data
    public var description: String {
        let code = String(decoding: self.body.prefix(400), as: UTF8.self)
        return "S3 \(self.operation) failed with HTTP \(self.status): \(code)"
    }
}
