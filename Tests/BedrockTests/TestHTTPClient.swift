import AsyncHTTPClient
import Bedrock

/// One HTTP client for the whole test run, configured as the app configures it (no pool retries of refused connections).
let testHTTPClient = HTTPClient(
    eventLoopGroupProvider: .singleton, configuration: BedrockClientConfiguration.httpClientConfiguration(connectTimeout: .seconds(2)))
