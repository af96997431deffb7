import Testing

@testable import Bedrock

/// Classification of AWS error codes into actionable errors.
@Suite struct BedrockErrorTests {
    @Test func codesAreNormalizedLikeBotocore() {
        #expect(BedrockError.normalizeErrorCode("ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/") == "ValidationException")
        #expect(BedrockError.normalizeErrorCode("aws.protocoltests#ThrottlingException") == "ThrottlingException")
        #expect(BedrockError.normalizeErrorCode("com.amazon#AccessDeniedException:extra") == "AccessDeniedException")
    }

    @Test func onDemandNamesTheInferenceProfile() {
        let error = BedrockError.classify(
            code: "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
            serviceMessage: "Invocation of model ID anthropic.claude-3-5-haiku-20241022-v1:0 with on-demand throughput isn\u{2019}t supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
            status: 400, modelID: "anthropic.claude-3-5-haiku-20241022-v1:0")
        #expect(error.code == .onDemandNotSupported)
        #expect(error.message.contains("us.anthropic.claude-3-5-haiku-20241022-v1:0"))
    }

    @Test func marketplaceAndAccessDeniedAreTold() {
        let marketplace = BedrockError.classify(
            code: "AccessDeniedException",
            serviceMessage: "Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.",
            status: 403, modelID: "m")
        #expect(marketplace.code == .marketplaceSubscription)
        #expect(marketplace.message.contains("terraform apply") && marketplace.message.contains("5 minutes"))
        let notEnabled = BedrockError.classify(code: "AccessDeniedException", serviceMessage: "You don't have access to the model", status: 403, modelID: "m")
        #expect(notEnabled.code == .modelNotEnabled)
        #expect(notEnabled.message.contains("Model access"))
        let denied = BedrockError.classify(
            code: "AccessDeniedException", serviceMessage: "User: arn:aws:sts::1:assumed-role/r/i is not authorized to perform: bedrock:InvokeModel",
            status: 403, modelID: "m")
        #expect(denied.code == .accessDenied && denied.message.contains("terraform apply"))
        let legacy = BedrockError.classify(
            code: "ResourceNotFoundException", serviceMessage: "Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days.",
            status: 404, modelID: "m")
        #expect(legacy.code == .legacyModel)
        let invalid = BedrockError.classify(code: "ValidationException", serviceMessage: "The provided model identifier is invalid.", status: 400, modelID: "m")
        #expect(invalid.code == .invalidModelIdentifier && invalid.message.contains("AWS_REGION"))
    }

    @Test func statusFallbacksWithoutCode() {
        #expect(BedrockError.classify(code: nil, serviceMessage: nil, status: 502, modelID: "m").code == .internalServer)
        #expect(BedrockError.classify(code: nil, serviceMessage: nil, status: 429, modelID: "m").code == .throttling)
        #expect(BedrockError.classify(code: nil, serviceMessage: nil, status: 418, modelID: "m").code == .unknown)
    }

    @Test func retryability() {
        #expect(BedrockError(.throttling, message: "").isRetryable)
        #expect(BedrockError(.internalServer, message: "").isRetryable)
        #expect(!BedrockError(.modelNotReady, message: "").isRetryable)
        #expect(!BedrockError(.validation, message: "").isRetryable)
    }

    @Test func inferenceProfileIDs() {
        #expect(BedrockError.inferenceProfileID(for: "anthropic.claude-x-v1:0") == "us.anthropic.claude-x-v1:0")
        #expect(BedrockError.inferenceProfileID(for: "eu.anthropic.claude-x-v1:0") == "eu.anthropic.claude-x-v1:0")
        #expect(BedrockError.inferenceProfileID(for: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-x") == "us.anthropic.claude-x")
    }

    @Test func backoffHasFullJitterAndCap() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .milliseconds(250))
        #expect(policy.delay(afterAttempt: 1, random: 1) == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 2, random: 1) == .milliseconds(200))
        #expect(policy.delay(afterAttempt: 3, random: 1) == .milliseconds(250))
        #expect(policy.delay(afterAttempt: 3, random: 0) == .zero)
        #expect(policy.delay(afterAttempt: 2, random: 0.5) == .milliseconds(100))
    }
}
