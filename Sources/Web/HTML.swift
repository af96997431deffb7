import Hummingbird

/// A rendered HTML document or fragment, returned by page routes as `text/html; charset=utf-8`.
///
/// Building one with string interpolation escapes by default: interpolated `String`s are
/// escaped per Unicode scalar, only other `HTML` values (already rendered markup) go in raw.
/// String literals written in this module are trusted markup.
public struct HTML: ResponseGenerator, Sendable, Equatable, ExpressibleByStringInterpolation {
    /// The markup, ready to send.
    public let rendered: String
    /// The status the page is served with (404 and error pages keep their meaning for crawlers and tests).
    public var status: HTTPResponse.Status

    /// The numeric status code, for callers that do not import HTTPTypes.
    public var statusCode: Int { self.status.code }

    /// Wraps markup that is already safe. Never pass user or model text here.
    public init(unsafeRaw rendered: String, status: HTTPResponse.Status = .ok) {
        self.rendered = rendered
        self.status = status
    }

    /// Literal markup written in source code.
    public init(stringLiteral value: String) {
        self.init(unsafeRaw: value)
    }

    /// Markup with escaped interpolations.
    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeRaw: stringInterpolation.output)
    }

    /// The same markup served with another status.
    public func with(status: HTTPResponse.Status) -> HTML {
        HTML(unsafeRaw: self.rendered, status: status)
    }

    /// Joins fragments without a separator.
    public static func join(_ parts: [HTML]) -> HTML {
        HTML(unsafeRaw: parts.map(\.rendered).joined())
    }

    public static func == (lhs: HTML, rhs: HTML) -> Bool {
        lhs.rendered == rhs.rendered && lhs.status == rhs.status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        // Pages carry the user's name and chats: never let a shared cache keep them.
        headers[.cacheControl] = "no-store"
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: self.rendered)))
    }
}

extension HTML {
    /// Collects literal markup and escaped values for `HTML`'s string interpolation.
    public struct StringInterpolation: StringInterpolationProtocol {
        var output: String

        public init(literalCapacity: Int, interpolationCount: Int) {
            self.output = ""
            self.output.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) {
            self.output += literal
        }

        /// Text: escaped, so it is safe in element content and in double- or single-quoted attributes.
        public mutating func appendInterpolation(_ text: String) {
            self.output += HTMLEscaping.escape(text)
        }

        /// Optional text: nothing when `nil`.
        public mutating func appendInterpolation(_ text: String?) {
            if let text { self.output += HTMLEscaping.escape(text) }
        }

        /// Already rendered markup goes in unchanged.
        public mutating func appendInterpolation(_ html: HTML) {
            self.output += html.rendered
        }

        /// A list of fragments, in order.
        public mutating func appendInterpolation(_ list: [HTML]) {
            for html in list { self.output += html.rendered }
        }
    }
}
