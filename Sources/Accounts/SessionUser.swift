import Foundation
import Storage

/// Who a request acts for, as carried by the signed session cookie.
public struct SessionUser: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case guest, regular }
    public let id: UUID
    public let email: String?
    public let kind: Kind

    public init(id: UUID, email: String?, kind: Kind) {
        self.id = id
        self.email = email
        self.kind = kind
    }

    public init(_ record: UserRecord) {
        self.init(id: record.id, email: record.email, kind: record.kind == .regular ? .regular : .guest)
    }

    public var isGuest: Bool { self.kind == .guest }
}
