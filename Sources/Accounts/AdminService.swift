import Foundation
import Storage

/// The admin view's rules: only administrators (ADMIN_EMAILS) get anything, nobody disables themselves, and every
/// change is written to the audit log in the same transaction as the change itself.
public struct AdminService: Sendable {
    public static let allowanceRange = 1...100_000
    public static let listLimitRange = 1...1_000

    /// A user as the admin view lists them: who, how they sign in, and what they used this month.
    public struct UserOverview: Sendable, Equatable {
        public var summary: AdminRepository.UserSummary
        /// Messages charged to the allowance since the start of the month (UTC).
        public var messagesThisMonth: Int
        /// Answers and tokens per model since the start of the month, by model id.
        public var usage: [AdminRepository.ModelUsage]
        /// The kind's allowance, which `summary.user.messageLimit` overrides when set.
        public var defaultMessageLimit: Int
    }

    let repository: AdminRepository
    let users: UserRepository
    let policy: AccessPolicy
    let entitlements: Entitlements

    public init(database: any DatabaseClient, policy: AccessPolicy, entitlements: Entitlements) {
        self.repository = AdminRepository(database: database)
        self.users = UserRepository(database: database)
        self.policy = policy
        self.entitlements = entitlements
    }

    public func isAdmin(_ user: SessionUser?) -> Bool {
        user.map(self.policy.isAdmin) ?? false
    }

    /// The first instant of `date`'s month in UTC: "this month" for usage figures, the same for every instance.
    public static func monthStart(of date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: calendar.dateComponents([.year, .month], from: date)) ?? date
    }

    /// The newest `limit` users (guests included) with this month's figures.
    public func users(by admin: SessionUser?, limit: Int, now: Date = Date()) async throws -> (monthStart: Date, users: [UserOverview]) {
        try self.requireAdmin(admin)
        guard Self.listLimitRange.contains(limit) else { throw AdminError.listLimitOutOfRange(Self.listLimitRange) }
        let since = Self.monthStart(of: now)
        async let summaries = self.repository.users(limit: limit)
        async let counts = self.repository.messageCounts(since: since)
        async let usage = self.repository.usage(since: since)
        let usageByUser = Dictionary(grouping: try await usage, by: \.userID)
        let messageCounts = try await counts
        let users = try await summaries.map { summary in
            UserOverview(
                summary: summary, messagesThisMonth: messageCounts[summary.user.id] ?? 0, usage: usageByUser[summary.user.id] ?? [],
                defaultMessageLimit: self.entitlements.limit(for: SessionUser(summary.user)))
        }
        return (since, users)
    }

    /// Disables a user (their sessions end at once and they cannot sign in) or re-enables them.
    public func setDisabled(_ disabled: Bool, userID: UUID, by admin: SessionUser?, now: Date = Date()) async throws -> UserRecord {
        let admin = try self.requireAdmin(admin)
        if disabled, userID == admin.id { throw AdminError.cannotDisableSelf }
        return try await self.apply(.disabled(disabled ? now : nil), to: userID, by: admin, action: disabled ? "disable_user" : "enable_user", now: now) {
            Self.label($0)
        }
    }

    /// Sets a user's daily message allowance, or with nil returns them to their kind's default.
    public func setMessageLimit(_ limit: Int?, userID: UUID, by admin: SessionUser?, now: Date = Date()) async throws -> UserRecord {
        let admin = try self.requireAdmin(admin)
        if let limit, !Self.allowanceRange.contains(limit) { throw AdminError.allowanceOutOfRange(Self.allowanceRange) }
        return try await self.apply(.messageLimit(limit), to: userID, by: admin, action: limit == nil ? "clear_allowance" : "set_allowance", now: now) {
            Self.label($0) + (limit.map { ": \($0) messages per 24 hours" } ?? ": the default allowance")
        }
    }

    /// The audit log, newest first.
    public func auditLog(by admin: SessionUser?, limit: Int) async throws -> [AdminRepository.AuditEntry] {
        try self.requireAdmin(admin)
        guard Self.listLimitRange.contains(limit) else { throw AdminError.listLimitOutOfRange(Self.listLimitRange) }
        return try await self.repository.auditLog(limit: limit)
    }

    @discardableResult
    func requireAdmin(_ user: SessionUser?) throws -> SessionUser {
        guard let user, self.policy.isAdmin(user) else { throw AdminError.notAdmin }
        return user
    }

    /// The detail names the target as it was, so the log stays readable after a guest is swept away.
    func apply(
        _ change: AdminRepository.Change, to userID: UUID, by admin: SessionUser, action: String, now: Date,
        detail: (UserRecord) -> String
    ) async throws -> UserRecord {
        // Read first for the detail text; the update itself decides whether the user (still) exists.
        guard let target = try await self.users.find(id: userID) else { throw AdminError.userNotFound }
        let entry = AdminRepository.AuditEntry(adminEmail: admin.email ?? "", action: action, targetUserID: userID, detail: detail(target), createdAt: now)
        guard let changed = try await self.repository.apply(change, to: userID, audit: entry, adminID: admin.id) else { throw AdminError.userNotFound }
        return changed
    }

    static func label(_ user: UserRecord) -> String {
        user.email ?? "guest \(user.id.uuidString.lowercased().prefix(8))"
    }
}
