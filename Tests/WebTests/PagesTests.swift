import Foundation
import Testing

@testable import Web

@Suite("Pages")
struct PagesTests {
    static let hostile = "\"\u{0301}><script>alert(1)</script><img src=x onerror=alert(1)>"

    @Test("no page has an inline script or style, so the strict CSP holds")
    func noInlineCode() {
        for page in Self.allPages() {
            let html = page.rendered
            #expect(!html.contains("<script>"))
            #expect(!html.contains("style="))
            #expect(!html.contains("<style"))
            #expect(!html.contains("&lt;"), "markup written in source must not be escaped twice")
            #expect(html.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "no inline event handlers")
            // Every script is an external same-origin file.
            for line in html.split(separator: "\n") where line.contains("<script") {
                #expect(line.contains("src=\"/public/"))
            }
        }
    }

    @Test("user-controlled values are escaped on every page")
    func escapesUserValues() {
        let pages = [
            Pages.chat(user: Self.hostile, isGuest: false, chatID: UUID(), readOnly: false, chatTitle: Self.hostile),
            Pages.login(error: Self.hostile, email: Self.hostile),
            Pages.register(error: Self.hostile, email: Self.hostile),
            Pages.error(message: Self.hostile, requestID: Self.hostile),
        ]
        for page in pages {
            #expect(!page.rendered.contains("<script>alert"))
            #expect(!page.rendered.contains("<img src=x"))
            let scalars = Array(page.rendered.unicodeScalars)
            let rawQuoteWithMark = zip(scalars, scalars.dropFirst()).contains { $0 == "\"" && $1 == "\u{0301}" }
            #expect(!rawQuoteWithMark, "a quote before a combining mark must be escaped")
        }
    }

    @Test("the chat page tells the browser code which chat it shows")
    func chatData() {
        let id = UUID(uuidString: "0B6B8F5E-8E4A-4C9E-9F2A-1B2C3D4E5F60")!
        let page = Pages.chat(user: nil, isGuest: true, chatID: id, readOnly: true, chatTitle: "Trip")
        #expect(page.rendered.contains("data-chat-id=\"0b6b8f5e-8e4a-4c9e-9f2a-1b2c3d4e5f60\""))
        #expect(page.rendered.contains("data-read-only=\"true\""))
        #expect(page.rendered.contains("<title>Trip - Chatbot</title>"))
        #expect(!page.rendered.contains("id=\"composer\""), "read-only views have no composer")
        let fresh = Pages.chat(user: "a@b.c", isGuest: false, chatID: nil, readOnly: false, chatTitle: nil)
        #expect(fresh.rendered.contains("id=\"greeting\""))
        #expect(fresh.rendered.contains("id=\"composer\""))
    }

    @Test("status pages keep their status")
    func statuses() {
        #expect(Pages.notFound().statusCode == 404)
        #expect(Pages.error(message: "x", requestID: nil).statusCode == 500)
        #expect(Pages.login(error: nil, email: nil).statusCode == 200)
    }

    static func allPages() -> [HTML] {
        [
            Pages.chat(user: nil, isGuest: true, chatID: nil, readOnly: false, chatTitle: nil),
            Pages.chat(user: "a@b.c", isGuest: false, chatID: UUID(), readOnly: true, chatTitle: "T"),
            Pages.login(error: nil, email: nil),
            Pages.register(error: "Taken", email: "a@b.c"),
            Pages.notFound(),
            Pages.error(message: "Boom", requestID: "abc"),
        ]
    }
}
