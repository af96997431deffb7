import BedrockFake
import Foundation
import Testing

@testable import Bedrock

/// The fake's own SigV4 verifier against botocore's signatures: it must accept every vector and
/// reject any change, so client tests against the fake mean something.
@Suite struct FakeVerifierTests {
    static func check(_ vector: SigV4VectorTests.Vector, secret: String? = nil, now: Date? = nil, tamper: (inout [String: String]) -> Void = { _ in })
        -> FakeSigV4Verifier.Rejection?
    {
        let url = URL(string: vector.url)!
        let target = vector.url.components(separatedBy: url.host!).dropFirst().joined(separator: url.host!)
        var headers = ["host": url.host!, "x-amz-date": vector.amzDate, "authorization": vector.authorization]
        for (name, value) in vector.headers { headers[name.lowercased()] = value }
        if let token = vector.sessionToken { headers["x-amz-security-token"] = token }
        tamper(&headers)
        let keys = FakeKeyStore([vector.accessKeyId: .init(secret: secret ?? vector.secretAccessKey, token: vector.sessionToken)])
        var verifier = FakeSigV4Verifier(region: vector.region, keys: keys)
        verifier.service = vector.service
        return verifier.verify(
            method: vector.method, rawTarget: target.isEmpty ? "/" : target, headers: headers, body: Array(vector.body.utf8),
            now: now ?? AMZDate.parse(vector.amzDate)!)
    }

    @Test(arguments: SigV4VectorTests.vectors)
    func acceptsBotocoreSignatures(_ vector: SigV4VectorTests.Vector) {
        #expect(Self.check(vector) == nil)
    }

    @Test(arguments: SigV4VectorTests.vectors.filter { $0.service == "bedrock" })
    func rejectsTampering(_ vector: SigV4VectorTests.Vector) {
        #expect(Self.check(vector, secret: "other")?.code == "InvalidSignatureException")
        #expect(Self.check(vector) { $0["content-type"] = "text/plain" }?.code == "InvalidSignatureException")
        #expect(Self.check(vector) { $0["authorization"] = nil }?.code == "MissingAuthenticationTokenException")
        #expect(Self.check(vector) { $0["x-amz-date"] = nil }?.code == "IncompleteSignatureException")
        let skewed = Self.check(vector, now: AMZDate.parse(vector.amzDate)!.addingTimeInterval(301))
        #expect(skewed?.code == "InvalidSignatureException")
        #expect(skewed?.message.hasPrefix("Signature expired: \(vector.amzDate) is now earlier than") == true)
        if vector.sessionToken != nil {
            #expect(Self.check(vector) { $0["x-amz-security-token"] = "forged" }?.code == "UnrecognizedClientException")
        }
    }

    @Test func rejectsWrongServiceScope() throws {
        let vector = try #require(SigV4VectorTests.vectors.first { $0.name == "wire-doc-example" })
        var wrong = vector
        wrong.authorization = vector.authorization.replacingOccurrences(of: "/bedrock/", with: "/bedrock-runtime/")
        wrong.service = "bedrock"
        let keys = FakeKeyStore([vector.accessKeyId: .init(secret: vector.secretAccessKey, token: vector.sessionToken)])
        let verifier = FakeSigV4Verifier(region: "us-east-1", keys: keys)
        let rejection = verifier.verify(
            method: "POST", rawTarget: "/model/x/converse",
            headers: ["host": "h", "x-amz-date": vector.amzDate, "authorization": wrong.authorization], body: [], now: AMZDate.parse(vector.amzDate)!)
        #expect(rejection == .init(code: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'bedrock'. "))
    }
}
