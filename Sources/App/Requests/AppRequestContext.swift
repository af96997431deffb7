import Accounts
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Per-request state: who is asking, through which origin, under which request id.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user (a guest or an account), once the session middleware has run.
    public var user: SessionUser?
    /// The origin the browser sees (scheme, host, port), resolved from AUTH_URL or trusted headers.
    public var publicOrigin: PublicOrigin?
    /// The session the cookie named, once checked against the database.
    public var session: SessionToken?
    /// The client's address for per-address limits: the peer, or what the trusted proxy appended.
    public var clientAddress: String = "unknown"
    /// Set by the first middleware from configuration; Hummingbird consults it when collecting bodies.
    public var bodyLimit: Int = 1_048_576
    public var requestID: String = ""
    /// The peer's address (the proxy's, behind App Runner).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { self.bodyLimit }
}

extension AppRequestContext {
    func requireUser() throws -> SessionUser {
        guard let user = self.user else { throw AccountError.unauthenticated }
        return user
    }

    func uuidParameter(_ name: String) throws -> UUID {
        guard let raw = self.parameters.get(name), let id = UUID(uuidString: raw) else {
            throw APIError(.notFound, "chat", "Chat was not found, or you do not have access to it.")
        }
        return id
    }
}
