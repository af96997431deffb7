import App
import Foundation
import Testing

/// The model settings are parsed once, with the rest of the configuration, and fail with the variable named.
@Suite struct ModelConfigurationTests {
    @Test func defaultsAndParsedValues() throws {
        let configuration = try AppConfiguration(environment: [
            "AWS_DEFAULT_REGION": "eu-central-1", "AWS_BEARER_TOKEN_BEDROCK": "secret-api-key", "MODEL_MAX_CONNECTIONS": "2000", "HOME": "/nonexistent",
        ])
        #expect(configuration.awsRegion == "eu-central-1")
        #expect(configuration.models.pool.answerConnections == 2000 && configuration.models.pool.titleConnections == 500)
        #expect(configuration.models.bedrock.apiKey != nil)
        #expect(!String(reflecting: configuration.models.bedrock).contains("secret-api-key"))
        #expect(configuration.models.catalog.defaultChatModel == "global.amazon.nova-2-lite-v1:0")
        let plain = try AppConfiguration(environment: ["HOME": "/nonexistent"])
        #expect(plain.models.pool.answerConnections == 1200 && plain.models.bedrock.apiKey == nil)
    }

    @Test func aBadModelsFileOrPoolSizeIsAConfigurationErrorNamingTheVariable() throws {
        let path = NSTemporaryDirectory() + "models-\(UUID().uuidString).json"
        try Data(#"{"schemaVersion":1,"defaultChatModel":"a","titleModel":"a","models":[{"id":"a"}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try AppConfiguration(environment: ["MODELS_FILE": path])
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.variable == "MODELS_FILE" && error.message.contains("models[0] (a)") && error.message.contains("field")
        }
        #expect {
            _ = try AppConfiguration(environment: ["MODEL_MAX_CONNECTIONS": "0"])
        } throws: { ($0 as? ConfigurationError)?.variable == "MODEL_MAX_CONNECTIONS" }
    }
}
