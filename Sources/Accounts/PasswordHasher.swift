import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's thread pool: a hash takes tens of milliseconds of CPU that must not stall the async pool.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    /// Compared against when the email is unknown, so a miss costs the same time as a wrong password.
    private let dummyHash: String

    public init(cost: UInt8 = 10) {
        self.cost = cost
        self.dummyHash = Bcrypt.hash("not a real password, only spends time", cost: cost)
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        let target = hash ?? self.dummyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return matches && hash != nil
    }
}
