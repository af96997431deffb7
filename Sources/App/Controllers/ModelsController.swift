import Hummingbird
import Models

/// `GET /api/models`: what the model selector shows.
struct ModelsController {
    let catalog: ModelCatalog

    struct ModelsBody: Encodable {
        let models: [CatalogModel]
        let defaultModel: String
    }

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/api/models", use: self.list)
        return routes
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(ModelsBody(models: self.catalog.models, defaultModel: self.catalog.defaultChatModel))
    }
}
