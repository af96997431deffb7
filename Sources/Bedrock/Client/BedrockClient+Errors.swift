import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension BedrockClient {
    /// A non-200 response as a classified error: code from `x-amzn-ErrorType` (else the body's `code`/`__type`),
    /// message from `message`/`Message`.
    static func errorFromResponse(status: Int, headers: HTTPHeaders, body: ByteBuffer, modelID: String) -> BedrockError {
        struct Body: Decodable {
            var message: String?
            var Message: String?
            var code: String?
            var Code: String?
            var __type: String?
        }
        let parsed = try? JSONDecoder().decode(Body.self, from: body)
        let code = headers.first(name: "x-amzn-ErrorType") ?? parsed?.code ?? parsed?.Code ?? parsed?.__type
        return BedrockError.classify(
            code: code, serviceMessage: parsed?.message ?? parsed?.Message, status: status, modelID: modelID,
            requestID: headers.first(name: "x-amzn-RequestId"))
    }

    /// With an API key, a rejected credential is the key: say so, instead of naming access keys that are not in use.
    static func blamingAPIKey(_ error: BedrockError) -> BedrockError {
        guard error.code == .credentialsInvalid || error.code == .credentialsExpired else { return error }
        var blamed = error
        blamed.code = .credentialsInvalid
        blamed.message = "AWS rejected the Bedrock API key in \(BedrockAPIKey.environmentVariable): it is wrong, expired (short-term keys last "
            + "at most 12 hours) or revoked. Create a new key in the Amazon Bedrock console, or unset the variable to use AWS credentials."
            + (error.serviceMessage.map { " Bedrock said: \($0)" } ?? "")
        return blamed
    }

    /// Any error of an attempt as a `BedrockError`; rethrows cancellation as is.
    static func bedrockError(from error: any Error, modelID: String) throws -> BedrockError {
        if Task.isCancelled || error is CancellationError { throw CancellationError() }
        switch error {
        case let error as BedrockError:
            return error
        case let error as EventStreamDecodingError:
            return BedrockError(.invalidResponse, message: "Bedrock's event stream for \(modelID) is corrupt (\(error)); the answer is incomplete.")
        case let error as HTTPClientError:
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout || error == .writeTimeout {
                return BedrockError(.timeout, message: "The call to Bedrock for \(modelID) timed out (\(error)). Retry later.")
            }
            if error == .cancelled { throw CancellationError() }
            if error == .getConnectionFromPoolTimeout {
                return BedrockError(
                    .clientBusy,
                    message: "The server is busy: every connection to Bedrock is in use, and the call to \(modelID) waited too long for one. Try again in a moment.")
            }
            return BedrockError(.connection, message: "Could not talk to Bedrock for \(modelID): \(error). Check the network and endpoint.")
        default:
            return BedrockError(.connection, message: "Could not talk to Bedrock for \(modelID): \(error). Check the network and endpoint.")
        }
    }
}
