import Accounts
import Foundation
import Hummingbird
import Storage
import Web

/// `/admin` and `/api/admin/*`: users with this month's usage, disabling, allowance overrides and the audit log.
/// Only administrators reach these handlers (AdminOnlyMiddleware); AdminService checks again and owns the rules.
struct AdminController {
    let admin: AdminService

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/admin", use: self.page)
        routes.get("/api/admin/users", use: self.users)
        routes.post("/api/admin/users/{id}/disable", use: self.disable)
        routes.post("/api/admin/users/{id}/enable", use: self.enable)
        routes.put("/api/admin/users/{id}/allowance", use: self.allowance)
        routes.get("/api/admin/audit", use: self.audit)
        return routes
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> HTML {
        guard let user = context.user, self.admin.isAdmin(user) else { throw AdminError.notAdmin }
        return Pages.admin(email: user.email ?? "", userID: user.id.uuidString.lowercased())
    }

    @Sendable func users(request: Request, context: AppRequestContext) async throws -> Response {
        let limit = try Self.limit(request, default: 500)
        let listing = try await self.admin.users(by: context.user, limit: limit)
        return try JSONResponse.make(UserList(monthStart: listing.monthStart, users: listing.users.map(UserBody.init)))
    }

    @Sendable func disable(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await self.admin.setDisabled(true, userID: try self.userID(context), by: context.user)
        return try JSONResponse.make(UserState(user))
    }

    @Sendable func enable(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await self.admin.setDisabled(false, userID: try self.userID(context), by: context.user)
        return try JSONResponse.make(UserState(user))
    }

    @Sendable func allowance(request: Request, context: AppRequestContext) async throws -> Response {
        let id = try self.userID(context)
        let body = try await request.decodeJSON(as: AllowanceBody.self, context: context, surface: "admin")
        let user = try await self.admin.setMessageLimit(body.messagesPerDay, userID: id, by: context.user)
        return try JSONResponse.make(UserState(user))
    }

    @Sendable func audit(request: Request, context: AppRequestContext) async throws -> Response {
        let entries = try await self.admin.auditLog(by: context.user, limit: try Self.limit(request, default: 200))
        return try JSONResponse.make(AuditList(entries: entries.map(AuditBody.init)))
    }

    /// The path's user id. Checks the caller first: to anyone else a malformed id is a missing route too.
    func userID(_ context: AppRequestContext) throws -> UUID {
        guard self.admin.isAdmin(context.user) else { throw AdminError.notAdmin }
        guard let raw = context.parameters.get("id"), let id = UUID(uuidString: raw) else { throw AdminError.invalidUserID }
        return id
    }

    static func limit(_ request: Request, default value: Int) throws -> Int {
        guard let raw = request.uri.queryParameters.get("limit") else { return value }
        guard let limit = Int(raw), AdminService.listLimitRange.contains(limit) else { throw AdminError.listLimitOutOfRange(AdminService.listLimitRange) }
        return limit
    }
}
