import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

extension Request {
    /// Decodes a JSON body, turning each way it can be wrong into a clear envelope:
    /// too large (413), not JSON or the wrong shape (400, naming the field).
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext, surface: String = "api") async throws -> T {
        // A declared length over the limit is refused at once, not after waiting for a body that may never come.
        if let declared = self.headers[.contentLength].flatMap({ Int($0) }), declared > context.bodyLimit {
            throw APIError(.tooLarge, surface, "The request body is larger than the \(context.bodyLimit / 1024) KB limit.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await self.body.collect(upTo: context.bodyLimit)
        } catch is NIOTooManyBytesError {
            throw APIError(.tooLarge, surface, "The request body is larger than the \(context.bodyLimit / 1024) KB limit.")
        }
        guard buffer.readableBytes > 0 else {
            throw APIError(.badRequest, surface, "The request needs a JSON body.")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError(.badRequest, surface, "The request body is not valid: \(Self.describe(error))", cause: "invalid JSON body")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "'" + keys.joined(separator: ".") + "'"
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not well-formed JSON." : "\(path(context)) has an invalid value."
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context))"
            return "the field '\(key.stringValue)' is missing\(parent)."
        case .typeMismatch(let type, let context):
            return "\(path(context)) should be \(Self.typeName(type))."
        case .valueNotFound(let type, let context):
            return "\(path(context)) should be \(Self.typeName(type)), not null."
        @unknown default:
            return "it does not have the expected shape."
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "an object or list of the documented shape"
        }
    }
}
