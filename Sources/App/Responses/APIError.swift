import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Every failure a client can see, rendered as the JSON envelope `{code, message, cause}` in one place.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable {
    /// The envelope's error type; each has one HTTP status.
    public enum Kind: String, Sendable {
        case badRequest = "bad_request"
        case unauthorized
        case forbidden
        case notFound = "not_found"
        case tooLarge = "too_large"
        /// The request lost a race with another one (an answer already running, say): reload and retry.
        case conflict
        case rateLimit = "rate_limit"
        case offline
        /// Our fault; the message carries the request id.
        case `internal`

        var status: HTTPResponse.Status {
            switch self {
            case .badRequest: .badRequest
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .tooLarge: .contentTooLarge
            case .conflict: .conflict
            case .rateLimit: .tooManyRequests
            case .offline: .serviceUnavailable
            case .internal: .internalServerError
            }
        }
    }

    public var kind: Kind
    /// What the request was about: `api`, `chat`, `auth`, `history`, `vote`, `database`, `model`…
    public var surface: String
    public var message: String
    public var cause: String?
    public var retryAfterSeconds: Int?

    public init(_ kind: Kind, _ surface: String, _ message: String, cause: String? = nil, retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.surface = surface
        self.message = message
        self.cause = cause
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var status: HTTPResponse.Status { self.kind.status }
    public var code: String { "\(self.kind.rawValue):\(self.surface)" }

    struct Envelope: Encodable {
        let code: String
        let message: String
        let cause: String?
    }

    /// The envelope's JSON bytes.
    public var body: Data {
        (try? JSONEncoder().encode(Envelope(code: self.code, message: self.message, cause: self.cause))) ?? Data("{}".utf8)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let seconds = self.retryAfterSeconds {
            headers[.retryAfter] = String(seconds)
        }
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: self.body)))
    }
}

extension APIError {
    static func notFound(_ surface: String, _ what: String) -> APIError {
        APIError(.notFound, surface, "\(what) was not found, or you do not have access to it.")
    }
}
