import Accounts
import Files
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import Storage

/// `POST /api/files/upload` and `GET /api/files/{id}`.
struct FileController {
    let service: FileService

    struct UploadBody: Encodable {
        let id: String
        let url: String
        let name: String
        let mediaType: String
        let size: Int
        let chatId: String
    }

    var sessionRoutes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("/api/files/upload", use: self.upload)
        return routes
    }

    /// A file of a public chat is readable without a session, like the chat.
    var publicRoutes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/api/files/{id}", use: self.download)
        return routes
    }

    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let chatRaw = request.uri.queryParameters.get("chatId"), let chatID = UUID(uuidString: String(chatRaw)) else {
            throw APIError(.badRequest, "files", "Give the chat the file is for: POST /api/files/upload?chatId=<uuid>.")
        }
        guard let contentType = request.headers[.contentType], let boundary = MultipartForm.boundary(contentType: contentType) else {
            throw FileError.missingFile
        }
        let limit = self.service.limits.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw FileError.tooLarge(name: "the upload", limit: max(self.service.limits.maxImageBytes, self.service.limits.maxDocumentBytes), isImage: false)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw FileError.tooLarge(name: "the upload", limit: max(self.service.limits.maxImageBytes, self.service.limits.maxDocumentBytes), isImage: false)
        }
        let form = try MultipartForm(body: Data(buffer: buffer), boundary: boundary)
        guard let part = form.parts.first(where: { $0.name == "file" }) else { throw FileError.missingFile }
        // The declared Content-Type of the part is ignored on purpose: FileKind reads the bytes.
        let file = try await self.service.upload(data: part.data, name: part.filename ?? "file", userID: user.id, chatID: chatID)
        return try JSONResponse.make(
            UploadBody(
                id: file.id.lowercasedString, url: "/api/files/\(file.id.lowercasedString)", name: file.name, mediaType: file.mediaType,
                size: file.size, chatId: file.chatID.lowercasedString),
            status: .created)
    }

    @Sendable func download(request: Request, context: AppRequestContext) async throws -> Response {
        guard let raw = context.parameters.get("id"), let id = UUID(uuidString: raw) else { throw FileError.notFound }
        let (file, data) = try await self.service.read(id: id, viewer: context.user?.id)
        // Only the media types FileKind produces are ever served; anything else goes out as opaque bytes.
        let kind = FileKind(mediaType: file.mediaType)
        var headers: HTTPFields = [
            .contentType: kind.map { $0.isImage ? $0.mediaType : $0.mediaType + ($0.mediaType.hasPrefix("text/") ? "; charset=utf-8" : "") }
                ?? "application/octet-stream",
            .cacheControl: "private, max-age=3600",
            .contentSecurityPolicy: "default-src 'none'; sandbox",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        let disposition = kind?.isImage == true ? "inline" : "attachment"
        headers[.contentDisposition] = "\(disposition); filename=\"\(Self.asciiName(file.name))\"; filename*=UTF-8''\(Self.percentEncoded(file.name))"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// The name with anything but printable ASCII (and quotes, backslashes) replaced, for `filename=`.
    static func asciiName(_ name: String) -> String {
        String(name.unicodeScalars.map { ($0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\") ? Character($0) : "_" })
    }

    static func percentEncoded(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"))
            ?? "file"
    }
}
