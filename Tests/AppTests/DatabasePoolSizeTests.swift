import App
import Storage
import Testing

@Suite("DATABASE_POOL_SIZE") struct DatabasePoolSizeTests {
    static let url = "postgresql://app:secret@db.example.com:5432/chatbot?sslmode=require"

    func settings(_ env: [String: String]) throws -> PostgresSettings? {
        let configuration = try AppConfiguration(environment: env)
        guard case .postgres(let settings) = configuration.database else { return nil }
        return settings
    }

    @Test("sets the PostgreSQL pool, 20 when unset")
    func setsPool() throws {
        #expect(try self.settings(["POSTGRES_URL": Self.url])?.poolSize == 20)
        #expect(try self.settings(["POSTGRES_URL": Self.url, "DATABASE_POOL_SIZE": "150"])?.poolSize == 150)
    }

    @Test("refuses to start with a size that is not a whole number from 1 to 2000", arguments: ["0", "-3", "2001", "twenty", "1.5"])
    func refusesInvalid(value: String) {
        let error = #expect(throws: ConfigurationError.self) { try self.settings(["POSTGRES_URL": Self.url, "DATABASE_POOL_SIZE": value]) }
        #expect(error?.variable == "DATABASE_POOL_SIZE")
    }
}
