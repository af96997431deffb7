import Accounts
import Foundation
import Storage

// The admin API's JSON shapes. Absent values are sent as null, not left out: clients test for null.

extension AdminController {
    /// `{"messagesPerDay": 100}` sets the override; `{"messagesPerDay": null}` clears it. The key is required, so a
    /// misspelt field is a 400 rather than a silent reset to the default.
    struct AllowanceBody: Decodable {
        let messagesPerDay: Int?
        enum CodingKeys: String, CodingKey { case messagesPerDay }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard container.contains(.messagesPerDay) else {
                throw DecodingError.keyNotFound(CodingKeys.messagesPerDay, .init(codingPath: [], debugDescription: "missing"))
            }
            // Read as a number first, so 1.5 or 1e20 get the range message rather than a generic "invalid value".
            guard let number = try container.decode(Double?.self, forKey: .messagesPerDay) else {
                self.messagesPerDay = nil
                return
            }
            guard number.rounded() == number, let whole = Int(exactly: number), AdminService.allowanceRange.contains(whole) else {
                throw AdminError.allowanceOutOfRange(AdminService.allowanceRange)
            }
            self.messagesPerDay = whole
        }
    }

    struct UserList: Encodable {
        let monthStart: Date
        let users: [UserBody]
    }

    struct ModelUsageBody: Encodable {
        let model: String
        let answers: Int
        let inputTokens: Int
        let outputTokens: Int
    }

    struct UserBody: Encodable {
        let overview: AdminService.UserOverview
        enum CodingKeys: String, CodingKey {
            case id, email, kind, signInMethod, createdAt, lastActiveAt, disabledAt, messagesThisMonth, usageThisMonth
            case messagesPerDayOverride, defaultMessagesPerDay
        }
        func encode(to encoder: any Encoder) throws {
            let summary = self.overview.summary
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(summary.user.id.uuidString.lowercased(), forKey: .id)
            try container.encode(summary.user.email, forKey: .email)
            try container.encode(summary.user.kind.rawValue, forKey: .kind)
            try container.encode(summary.signInMethod, forKey: .signInMethod)
            try container.encode(summary.user.createdAt, forKey: .createdAt)
            try container.encode(summary.lastActiveAt, forKey: .lastActiveAt)
            try container.encode(summary.user.disabledAt, forKey: .disabledAt)
            try container.encode(self.overview.messagesThisMonth, forKey: .messagesThisMonth)
            try container.encode(
                self.overview.usage.map { ModelUsageBody(model: $0.model, answers: $0.messages, inputTokens: $0.inputTokens, outputTokens: $0.outputTokens) },
                forKey: .usageThisMonth)
            try container.encode(summary.user.messageLimit, forKey: .messagesPerDayOverride)
            try container.encode(self.overview.defaultMessageLimit, forKey: .defaultMessagesPerDay)
        }
    }

    /// What a change left: the user's id, whether they are disabled, and their override.
    struct UserState: Encodable {
        let user: UserRecord
        init(_ user: UserRecord) { self.user = user }
        enum CodingKeys: String, CodingKey { case id, disabledAt, messagesPerDayOverride }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.user.id.uuidString.lowercased(), forKey: .id)
            try container.encode(self.user.disabledAt, forKey: .disabledAt)
            try container.encode(self.user.messageLimit, forKey: .messagesPerDayOverride)
        }
    }

    struct AuditList: Encodable {
        let entries: [AuditBody]
    }

    struct AuditBody: Encodable {
        let entry: AdminRepository.AuditEntry
        init(_ entry: AdminRepository.AuditEntry) { self.entry = entry }
        enum CodingKeys: String, CodingKey { case id, adminEmail, action, targetUserId, detail, createdAt }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.entry.id.uuidString.lowercased(), forKey: .id)
            try container.encode(self.entry.adminEmail, forKey: .adminEmail)
            try container.encode(self.entry.action, forKey: .action)
            try container.encode(self.entry.targetUserID?.uuidString.lowercased(), forKey: .targetUserId)
            try container.encode(self.entry.detail, forKey: .detail)
            try container.encode(self.entry.createdAt, forKey: .createdAt)
        }
    }
}
