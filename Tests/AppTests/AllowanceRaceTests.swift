import Accounts
import App
import BedrockFake
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Storage
import TestSupport
import Testing

/// The allowance is charged only for messages that start an answer: a send that loses the race for a chat's one
/// running answer (409) gets its message back.
@Suite("Allowance and the start of an answer") struct AllowanceRaceTests {
    @Test("sends racing into one chat: every 409 is refunded, so the charges equal the questions stored", arguments: TestDatabase.kinds)
    func conflictRefunds(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind, environment: ["RATE_LIMIT_GUEST": "100"], eventDelay: .milliseconds(20)) { client, services, _ in
            let browser = try await Browser.guest(client)
            let user = try await AuthTests().sessionUser(browser, client)
            let chatID = UUID()
            #expect(try await ChatTestKit.post(browser, client, chatID: chatID, text: "first").status == .ok)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<16 {
                    group.addTask { try await ChatTestKit.post(browser, client, chatID: chatID, text: "racer \(index)").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(statuses).isSubset(of: [.ok, .conflict]), "\(statuses)")
            struct Count: Decodable { let n: Int }
            let (charged, questions) = try await services.database.withSQL { sql in
                let charged = try await sql.raw("SELECT count(*) AS n FROM message_quota WHERE user_id = \(bind: user.id)").first(decoding: Count.self)?.n
                let questions = try await sql.raw("SELECT count(*) AS n FROM messages WHERE chat_id = \(bind: chatID) AND role = 'user'").first(decoding: Count.self)?.n
                return (charged ?? -1, questions ?? -2)
            }
            #expect(charged == questions, "statuses: \(statuses)")
            #expect(charged == 1 + statuses.filter { $0 == .ok }.count)
        }
    }
}
