import Hummingbird
import Models

/// `GET /api/models`: what the model selector shows.
struct ModelsController {
    let catalog: ModelCatalog
    let availability: ModelAvailability

    struct ModelsBody: Encodable {
        let models: [ListedModel]
        let defaultModel: String
    }

    /// A catalog entry with its `status`: `ready`, or `installing` while its server is still being prepared.
    struct ListedModel: Encodable {
        let model: CatalogModel
        let status: ModelAvailability.Status

        enum CodingKeys: String, CodingKey { case status }

        func encode(to encoder: any Encoder) throws {
            try self.model.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.status, forKey: .status)
        }
    }

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/api/models", use: self.list)
        return routes
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        let models = self.catalog.models.map { ListedModel(model: $0, status: self.availability.status(of: $0.id)) }
        return try JSONResponse.make(ModelsBody(models: models, defaultModel: self.catalog.defaultChatModel))
    }
}
