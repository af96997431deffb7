import Accounts
import Chat
import Files
import Foundation
import HTTPTypes
import Hummingbird
import JSON
import Models
import NIOCore
import Storage
import UIMessageStream

/// `/api/chat*`, `/api/history`, `/api/vote`: parse, authorise, call the engine, follower or queries, encode.
struct ChatController {
    let engine: AnswerEngine
    let follower: RunFollower
    let queries: ChatQueries
    let files: FileService
    /// What each model can read, to refuse attachments a model cannot take before anything is charged.
    let catalog: ModelCatalog
    /// A model still being prepared (the local model on a first run) is refused up front, before anything is stored.
    let availability: ModelAvailability
    /// Silence after which an event stream sends a keep-alive comment.
    let keepAlive: Duration

    struct PostBody: Decodable {
        struct Message: Decodable {
            let id: UUID
            let role: String?
            let parts: [JSONValue]
        }
        let id: UUID
        let message: Message?
        let selectedChatModel: String?
        let selectedVisibilityType: Visibility?
        let trigger: String?
    }

    /// The signed-in user's chats, history and votes.
    var sessionRoutes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("/api/chat", use: self.post)
        routes.post("/api/chat/{id}/stop", use: self.stop)
        routes.delete("/api/chat", use: self.delete)
        routes.delete("/api/chat/{id}", use: self.delete)
        routes.patch("/api/chat/{id}/visibility", use: self.visibility)
        routes.get("/api/history", use: self.history)
        routes.delete("/api/history", use: self.deleteHistory)
        routes.get("/api/vote", use: self.listVotes)
        routes.patch("/api/vote", use: self.vote)
        return routes
    }

    /// Reading a chat and following its answer: public chats are open to anyone, so no session is required here.
    var publicRoutes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/api/chat/{id}/messages", use: self.messages)
        routes.get("/api/chat/{id}/stream", use: self.resume)
        return routes
    }

    @Sendable func post(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let body = try await request.decodeJSON(as: PostBody.self, context: context, surface: "chat")
        let trigger: AnswerEngine.Command.Trigger = body.trigger == "regenerate-message" ? .regenerate : .submit
        if trigger == .submit, body.message == nil {
            throw APIError(.badRequest, "chat", "The request needs a message: {\"id\", \"role\": \"user\", \"parts\": [{\"type\": \"text\", \"text\": \"…\"}]}.")
        }
        if let role = body.message?.role, role != "user" {
            throw APIError(.badRequest, "chat", "Only messages with role \"user\" can be sent.")
        }
        try await self.availability.requireReady(body.selectedChatModel ?? self.catalog.defaultChatModel)
        let (parts, fileIDs) = try await self.acceptedParts(
            body.message?.parts ?? [], chatID: body.id, modelID: body.selectedChatModel, user: user)
        let command = AnswerEngine.Command(
            chatID: body.id, trigger: trigger, messageID: body.message?.id, parts: parts,
            modelID: body.selectedChatModel,
            visibility: body.selectedVisibilityType ?? .private)
        let started = try await self.engine.send(command, user: user)
        if let messageID = body.message?.id, !fileIDs.isEmpty {
            try await self.files.files.attach(ids: fileIDs, userID: user.id, chatID: body.id, messageID: messageID)
        }
        return self.stream(runID: started.runID, after: -1)
    }

    @Sendable func resume(request: Request, context: AppRequestContext) async throws -> Response {
        let chatID = try context.uuidParameter("id")
        guard let run = try await self.follower.resumableRun(chatID: chatID, viewer: context.user) else {
            return Response(status: .noContent)
        }
        let after = StreamPosition.after(
            lastEventID: request.headers[.lastEventID], offset: request.uri.queryParameters.get("offset").map { String($0) })
        return self.stream(runID: run.id, after: after)
    }

    /// The SSE response that follows a run. A client that goes away only ends this response, never the run.
    func stream(runID: UUID, after: Int) -> Response {
        let frames = ServerSentEvents.body(self.follower.follow(runID: runID, after: after), keepAlive: self.keepAlive) { chunk in
            ServerSentEvents.event(id: chunk.seq, json: chunk.json)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream; charset=utf-8",
                .cacheControl: "no-cache, no-transform",
                .uiMessageStreamProtocol: ServerSentEvents.protocolHeaderValue,
                .xAccelBuffering: "no",
            ],
            body: ResponseBody { writer in
                for try await frame in frames {
                    try await writer.write(ByteBuffer(string: frame))
                }
                try await writer.finish(nil)
            }
        )
    }

    @Sendable func stop(request: Request, context: AppRequestContext) async throws -> Response {
        let stopped = try await self.engine.stop(chatID: try context.uuidParameter("id"), user: try context.requireUser())
        return try JSONResponse.make(["stopped": stopped])
    }

    @Sendable func messages(request: Request, context: AppRequestContext) async throws -> Response {
        let view = try await self.queries.view(chatID: try context.uuidParameter("id"), viewer: context.user)
        return try JSONResponse.make(ChatViewBody(view))
    }

    @Sendable func delete(request: Request, context: AppRequestContext) async throws -> Response {
        let raw = context.parameters.get("id") ?? request.uri.queryParameters.get("id")
        guard let raw, let chatID = UUID(uuidString: raw) else { throw APIError(.badRequest, "chat", "Give the chat id: DELETE /api/chat?id=<uuid>.") }
        try await self.engine.delete(chatID: chatID, user: try context.requireUser())
        try await self.files.deleteFiles(ofChat: chatID)
        return try JSONResponse.make(["deleted": true])
    }

    @Sendable func visibility(request: Request, context: AppRequestContext) async throws -> Response {
        struct Body: Decodable { let visibility: Visibility }
        let body = try await request.decodeJSON(as: Body.self, context: context, surface: "chat")
        try await self.queries.setVisibility(body.visibility, chatID: try context.uuidParameter("id"), user: try context.requireUser())
        return try JSONResponse.make(["visibility": body.visibility.rawValue])
    }

    @Sendable func history(request: Request, context: AppRequestContext) async throws -> Response {
        let limit = request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 20
        var cursor: UUID? = nil
        if let raw = request.uri.queryParameters.get("ending_before"), !raw.isEmpty {
            guard let id = UUID(uuidString: raw) else { throw APIError(.badRequest, "history", "ending_before must be a chat id.") }
            cursor = id
        }
        let page = try await self.queries.history(of: try context.requireUser(), limit: limit, endingBefore: cursor)
        return try JSONResponse.make(HistoryBody(chats: page.chats.map(ChatBody.init), hasMore: page.hasMore))
    }

    @Sendable func deleteHistory(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        // The chats holding files, read before they go (a pending upload's chat id says nothing afterwards).
        let withFiles = try await self.files.files.chatIDs(userID: user.id)
        let count = try await self.queries.deleteAll(user: user)
        try await self.files.deleteFiles(ofChats: withFiles)
        return try JSONResponse.make(["deleted": count])
    }

    @Sendable func listVotes(request: Request, context: AppRequestContext) async throws -> Response {
        guard let raw = request.uri.queryParameters.get("chatId"), let chatID = UUID(uuidString: raw) else {
            throw APIError(.badRequest, "vote", "Give the chat id: GET /api/vote?chatId=<uuid>.")
        }
        let votes = try await self.queries.votes(chatID: chatID, user: try context.requireUser())
        return try JSONResponse.make(votes.map { VoteBody(chatId: $0.chatID.lowercasedString, messageId: $0.messageID.lowercasedString, isUpvoted: $0.isUpvoted) })
    }

    @Sendable func vote(request: Request, context: AppRequestContext) async throws -> Response {
        struct Body: Decodable {
            enum Direction: String, Decodable { case up, down }
            let chatId: UUID
            let messageId: UUID
            let type: Direction
        }
        let body = try await request.decodeJSON(as: Body.self, context: context, surface: "vote")
        try await self.queries.vote(chatID: body.chatId, messageID: body.messageId, up: body.type == .up, user: try context.requireUser())
        return try JSONResponse.make(["voted": body.type.rawValue])
    }
}
