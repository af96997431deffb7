import Foundation
import Synchronization

/// The credentials the fake accepts: long-term keys, and temporary ones issued by the fake container endpoint.
public final class FakeKeyStore: Sendable {
    /// One accepted key.
    public struct Key: Sendable {
        /// The secret the signature must be made with.
        public var secret: String
        /// The session token that must accompany it, if any.
        public var token: String?
        /// After this, requests get `ExpiredTokenException`.
        public var expiration: Date?

        /// Creates a key.
        public init(secret: String, token: String? = nil, expiration: Date? = nil) {
            self.secret = secret
            self.token = token
            self.expiration = expiration
        }
    }

    let keys = Mutex<[String: Key]>([:])

    /// Creates a store with some keys.
    public init(_ keys: [String: Key] = [:]) {
        self.keys.withLock { $0 = keys }
    }

    /// Accepts a key from now on.
    public func add(accessKeyID: String, _ key: Key) {
        self.keys.withLock { $0[accessKeyID] = key }
    }

    /// Makes a key expired from now on (to provoke `ExpiredTokenException`).
    public func expire(accessKeyID: String) {
        self.keys.withLock { $0[accessKeyID]?.expiration = Date(timeIntervalSinceNow: -1) }
    }

    /// The key for an id.
    public func key(_ accessKeyID: String) -> Key? {
        self.keys.withLock { $0[accessKeyID] }
    }
}
