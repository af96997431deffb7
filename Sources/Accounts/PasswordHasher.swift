import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, run on NIO's thread pool: a hash takes tens of milliseconds of CPU that must not stall the async pool.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    /// Compared against when the email is unknown, so a miss costs the same time as a wrong password.
    /// Made on first use, not at start-up: start-up must stay well under a second.
    private static let dummyHashes = Mutex<[UInt8: String]>([:])

    public init(cost: UInt8 = 10) {
        self.cost = cost
    }

    private static func dummyHash(cost: UInt8) -> String {
        if let hash = self.dummyHashes.withLock({ $0[cost] }) { return hash }
        let hash = Bcrypt.hash("not a real password, only spends time", cost: cost)
        self.dummyHashes.withLock { $0[cost] = hash }
        return hash
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        let cost = self.cost
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash ?? Self.dummyHash(cost: cost)) }
        return matches && hash != nil
    }
}
