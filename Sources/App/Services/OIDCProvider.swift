import Accounts
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The configured OpenID provider over HTTP: discovery, its key set (fetched again when a token names a key
/// we do not have), and the code-for-token exchange. One per server; safe to share.
actor OIDCProvider {
    struct Metadata: Decodable {
        let issuer: String
        let authorization_endpoint: String
        let token_endpoint: String
        let jwks_uri: String
    }

    let settings: AccessConfiguration.OIDCSettings
    let http: HTTPClient
    private var metadata: (value: Metadata, fetchedAt: Date)?
    private var keySet: (value: JSONWebKeySet, fetchedAt: Date)?
    /// A token naming an unknown key may fetch the set again, but not more often than this (a stream of
    /// forged key ids must not become a stream of requests to the provider).
    static let minimumRefetchInterval: TimeInterval = 10
    static let metadataLifetime: TimeInterval = 3600
    static let timeout: TimeAmount = .seconds(10)

    init(settings: AccessConfiguration.OIDCSettings, http: HTTPClient = .shared) {
        self.settings = settings
        self.http = http
    }

    func discovery() async throws -> Metadata {
        if let metadata, Date().timeIntervalSince(metadata.fetchedAt) < Self.metadataLifetime { return metadata.value }
        var base = self.settings.issuer.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let document: Metadata = try await self.getJSON(base + "/.well-known/openid-configuration", what: "discovery")
        // Core §4.3: the document must name the issuer we asked; tokens are then checked against it.
        guard Self.trimmed(document.issuer) == base else {
            throw SSOError.providerUnavailable(reason: "discovery names issuer \(document.issuer), not \(base)")
        }
        self.metadata = (document, Date())
        return document
    }

    func keys(refresh: Bool) async throws -> JSONWebKeySet {
        if let keySet, !refresh || Date().timeIntervalSince(keySet.fetchedAt) < Self.minimumRefetchInterval { return keySet.value }
        let set: JSONWebKeySet = try await self.getJSON(try await self.discovery().jwks_uri, what: "key set")
        self.keySet = (set, Date())
        return set
    }

    /// Exchanges the authorization code (with its PKCE verifier) for the ID token.
    func exchange(code: String, codeVerifier: String, redirectURI: String) async throws -> String {
        let endpoint = try await self.discovery().token_endpoint
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        var form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", codeVerifier)]
        if let secret = self.settings.clientSecret {
            // client_secret_basic (RFC 6749 §2.3.1): each part form-encoded before base64.
            let pair = Self.formEncode(self.settings.clientID) + ":" + Self.formEncode(secret)
            request.headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
        } else {
            form.append(("client_id", self.settings.clientID))
        }
        request.body = .bytes(ByteBuffer(string: form.map { Self.formEncode($0.0) + "=" + Self.formEncode($0.1) }.joined(separator: "&")))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await self.http.execute(request, timeout: Self.timeout)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw SSOError.providerUnavailable(reason: "token endpoint unreachable: \(error)")
        }
        struct TokenResponse: Decodable {
            let id_token: String?
            let error: String?
        }
        let decoded = try? JSONDecoder().decode(TokenResponse.self, from: body)
        guard response.status == .ok, let token = decoded?.id_token else {
            // The error code only: the body could hold tokens.
            throw SSOError.providerUnavailable(reason: "token endpoint answered \(response.status.code) \(decoded?.error ?? "without an ID token")")
        }
        return token
    }

    private func getJSON<T: Decodable>(_ url: String, what: String) async throws -> T {
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/json")
            let response = try await self.http.execute(request, timeout: Self.timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else { throw SSOError.providerUnavailable(reason: "\(what) at \(url) answered \(response.status.code)") }
            return try JSONDecoder().decode(T.self, from: body)
        } catch let error as SSOError {
            throw error
        } catch {
            throw SSOError.providerUnavailable(reason: "\(what) at \(url) failed: \(error)")
        }
    }

    static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    static func formEncode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }
}
