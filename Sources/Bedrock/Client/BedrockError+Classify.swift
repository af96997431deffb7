import Foundation

extension BedrockError {
    /// The error code as botocore reads it: cut at the first `:` and after the last `#`.
    public static func normalizeErrorCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        return code.trimmingCharacters(in: .whitespaces)
    }

    /// Classifies an AWS error (from a non-200 response or an exception event) into an actionable error.
    ///
    /// - Parameters:
    ///   - code: the error code, normalized or not; `nil` when the response had none.
    ///   - serviceMessage: the `message`/`Message` of the body.
    ///   - status: the HTTP status; `nil` for exception events inside a stream.
    ///   - modelID: the model that was called, named in the fix.
    public static func classify(code rawCode: String?, serviceMessage: String?, status: Int?, modelID: String, requestID: String? = nil)
        -> BedrockError
    {
        let code = rawCode.map(Self.normalizeErrorCode)
        let said = serviceMessage ?? ""
        let lowerCode = (code ?? "").lowercased()
        func make(_ kind: Code, _ text: String) -> BedrockError {
            BedrockError(kind, message: text, upstreamCode: code, serviceMessage: serviceMessage, statusCode: status, requestID: requestID)
        }
        let quoted = said.isEmpty ? "" : " Bedrock said: \(said)"
        switch lowerCode {
        // A `where` binds to the last pattern only, so each code carries its own.
        case "accessdeniedexception" where Self.isLegacyMessage(said), "resourcenotfoundexception" where Self.isLegacyMessage(said):
            return make(
                .legacyModel,
                "Model \(modelID) is Legacy on Amazon Bedrock, and accounts that have not used it recently (every new account) may not. "
                    + "Pick an active model: the built-in catalog lists them.\(quoted)")
        case "accessdeniedexception" where Self.isNotEnabledMessage(said), "resourcenotfoundexception" where Self.isNotEnabledMessage(said):
            return make(
                .modelNotEnabled,
                "Model \(modelID) is not enabled for this account. Open the Amazon Bedrock console, Model access (for Anthropic models, "
                    + "submit the use-case form once), then try again.\(quoted)")
        case "accessdeniedexception":
            if said.contains("aws-marketplace") || said.lowercased().contains("marketplace") {
                return make(
                    .marketplaceSubscription,
                    "Model \(modelID) needs a one-time AWS Marketplace subscription, and the app's role lacks the "
                        + "aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe permissions. Add them (run `terraform apply`), "
                        + "wait about 5 minutes, and try again.\(quoted)")
            }
            return make(
                .accessDenied,
                "Access to model \(modelID) was denied: the role or key in use may not invoke it. Allow bedrock:InvokeModel and "
                    + "bedrock:InvokeModelWithResponseStream on the inference profile and on its foundation model in every region the "
                    + "profile routes to (run `terraform apply`), and check that model access is enabled.\(quoted)")
        case "validationexception":
            if said.contains("on-demand throughput") {
                let profile = Self.inferenceProfileID(for: modelID)
                return make(
                    .onDemandNotSupported,
                    "Model \(modelID) cannot be called on demand: use its inference profile id `\(profile)` instead.\(quoted)")
            }
            if said.lowercased().contains("model identifier is invalid") {
                return make(
                    .invalidModelIdentifier,
                    "Bedrock does not know model \(modelID) here: check the id, and that AWS_REGION is a region the model (or its "
                        + "inference profile: us. only from US regions, eu. from EU regions, global. from any commercial region) is offered in.\(quoted)")
            }
            return make(.validation, "Bedrock rejected the request for \(modelID) as invalid.\(quoted)")
        case "expiredtokenexception":
            return make(
                .credentialsExpired,
                "The AWS credentials have expired. Refresh them (new temporary credentials, or restart with a fresh session) and retry.")
        case "unrecognizedclientexception", "invalidsignatureexception", "missingauthenticationtokenexception",
            "incompletesignatureexception", "invalidclienttokenid", "signaturedoesnotmatch":
            return make(
                .credentialsInvalid,
                "AWS rejected the credentials: check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (or the "
                    + "profile or role in use), and that the machine's clock is correct.\(quoted)")
        case "throttlingexception", "toomanyrequestsexception", "throttling":
            return make(
                .throttling,
                "Bedrock is throttling requests for \(modelID). Retry later, or request a higher quota in Service Quotas.\(quoted)")
        case "modelnotreadyexception":
            return make(.modelNotReady, "Model \(modelID) is not ready to serve requests yet. Retry in a minute.\(quoted)")
        case "resourcenotfoundexception":
            return make(
                .resourceNotFound,
                "Model \(modelID) was not found in this region. Check the model id and AWS_REGION, and that the model is offered "
                    + "there.\(quoted)")
        case "modeltimeoutexception":
            return make(.modelTimeout, "Model \(modelID) took too long to answer. Retry, or shorten the prompt.\(quoted)")
        case "modelerrorexception", "modelstreamerrorexception":
            return make(.modelError, "Model \(modelID) failed while answering. Retry the request.\(quoted)")
        case "serviceunavailableexception":
            return make(.serviceUnavailable, "Amazon Bedrock is unavailable right now. Retry later.\(quoted)")
        case "internalserverexception", "internalfailure":
            return make(.internalServer, "Amazon Bedrock had an internal error. Retry later.\(quoted)")
        default:
            break
        }
        switch status {
        case .some(429):
            return make(.throttling, "Bedrock is throttling requests for \(modelID). Retry later.\(quoted)")
        case .some(500...599):
            return make(.internalServer, "Amazon Bedrock answered HTTP \(status!). Retry later.\(quoted)")
        case .some(403):
            return make(.accessDenied, "Access to model \(modelID) was denied (HTTP 403). Check model access and the role's permissions.\(quoted)")
        default:
            return make(
                .unknown, "Bedrock failed with \(code ?? "an unknown error")\(status.map { " (HTTP \($0))" } ?? "").\(quoted)")
        }
    }

    /// "This Model is marked by provider as Legacy …", or the end-of-life message.
    static func isLegacyMessage(_ said: String) -> Bool {
        let lower = said.lowercased()
        return lower.contains("as legacy") || lower.contains("end of its life") || lower.contains("legacy model")
    }

    /// "You don't have access to the model with the specified model ID.", or Anthropic's use-case form not submitted.
    static func isNotEnabledMessage(_ said: String) -> Bool {
        let lower = said.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        return lower.contains("don't have access to the model") || lower.contains("do not have access to the model")
            || lower.contains("use case details have not been submitted")
    }

    /// The US cross-region inference profile id for a bare model id (`us.` + id); other ids unchanged.
    public static func inferenceProfileID(for modelID: String) -> String {
        let prefixes = ["us.", "eu.", "apac.", "global.", "us-gov.", "ca.", "jp.", "au."]
        if modelID.hasPrefix("arn:") {
            if let range = modelID.range(of: "foundation-model/") {
                return "us." + modelID[range.upperBound...]
            }
            return modelID
        }
        return prefixes.contains(where: modelID.hasPrefix) ? modelID : "us." + modelID
    }
}
