import Foundation
import Testing

@testable import Bedrock

/// The signer against vectors botocore produced (`scripts/gen-sigv4-vectors.py`).
@Suite struct SigV4VectorTests {
    struct Vector: Decodable, CustomTestStringConvertible {
        var name, method, url, region, service, amzDate, accessKeyId, secretAccessKey: String
        var headers: [String: String]
        var body: String
        var sessionToken: String?
        var canonicalRequest, stringToSign, signature, authorization: String
        var testDescription: String { self.name }
    }
    struct File: Decodable { var vectors: [Vector] }

    static let vectors: [Vector] = {
        let url = Bundle.module.url(forResource: "sigv4", withExtension: "json", subdirectory: "Vectors")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).vectors
    }()

    @Test(arguments: Self.vectors)
    func matchesBotocore(_ vector: Vector) throws {
        let url = try #require(URL(string: vector.url))
        let host = url.host!
        // The wire path exactly as botocore sent it (percent-encoded labels), taken from the URL text.
        let afterHost = vector.url.components(separatedBy: host).dropFirst().joined(separator: host)
        let path = afterHost.isEmpty ? "/" : afterHost
        var headers = [("host", host)]
        headers += vector.headers.map { ($0.key, $0.value) }
        let signature = SigV4Signer(region: vector.region, service: vector.service).sign(
            method: vector.method, path: path, headers: headers, body: Array(vector.body.utf8),
            credentials: AWSCredentials(accessKeyID: vector.accessKeyId, secretAccessKey: vector.secretAccessKey, sessionToken: vector.sessionToken),
            date: AMZDate.parse(vector.amzDate)!)
        #expect(signature.canonicalRequest == vector.canonicalRequest)
        #expect(signature.stringToSign == vector.stringToSign)
        #expect(signature.signature == vector.signature)
        #expect(signature.authorization == vector.authorization)
        #expect(signature.headersToAdd.contains { $0.0 == "x-amz-date" && $0.1 == vector.amzDate })
        #expect(signature.headersToAdd.contains { $0.0 == "x-amz-security-token" } == (vector.sessionToken != nil))
    }

    @Test func endpointPathEncodesLikeBotocore() throws {
        let endpoint = BedrockEndpoint(scheme: "https", host: "bedrock-runtime.us-east-1.amazonaws.com")
        for vector in Self.vectors where vector.service == "bedrock" {
            let parts = vector.url.components(separatedBy: "/model/")
            let encodedModel = parts[1].components(separatedBy: "/")[0]
            let operation = parts[1].components(separatedBy: "/")[1]
            let modelID = try #require(encodedModel.removingPercentEncoding)
            #expect(endpoint.path(modelID: modelID, operation: operation) == "/model/\(encodedModel)/\(operation)")
        }
    }

    @Test func wireDocumentExampleIsAmongTheVectors() {
        let example = Self.vectors.first { $0.name == "wire-doc-example" }
        #expect(example?.signature == "feb372d845f80dfa76595a4c02dc27515ac1e16498333f3033ac8433554fb1f7")
        #expect(Self.vectors.first { $0.name == "get-vanilla" }?.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func amzDateRoundTrips() {
        for seconds in [0.0, 951_782_400, 1_735_689_599, 4_102_444_800, 1_709_164_800] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(AMZDate.parse(AMZDate.timestamp(date)) == date)
        }
        #expect(AMZDate.timestamp(Date(timeIntervalSince1970: 1_735_689_600)) == "20250101T000000Z")
        #expect(AMZDate.timestamp(Date(timeIntervalSince1970: 951_825_600)) == "20000229T120000Z")
    }

    @Test func headerValuesAreTrimmedAndRepeatsJoined() {
        let signer = SigV4Signer(region: "us-east-1")
        let canonical = signer.canonicalRequest(
            method: "POST", path: "/", query: "", headers: [("Host", "h"), ("X-Custom", "  a   b  "), ("x-custom", "c"), ("User-Agent", "skip")],
            payloadHash: "hash")
        #expect(canonical.text == "POST\n/\n\nhost:h\nx-custom:a b,c\n\nhost;x-custom\nhash")
    }
}
