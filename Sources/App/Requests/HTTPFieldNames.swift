import HTTPTypes
import UIMessageStream

/// Header names HTTPTypes does not predefine, spelled once.
extension HTTPField.Name {
    /// HTTPTypes marks `.host` unavailable (it is `:authority` in HTTP/2); an HTTP/1 request may still send the field.
    static let hostField = Self("Host")!
    static let requestID = Self("X-Request-Id")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let permissionsPolicy = Self("Permissions-Policy")!
    static let secFetchSite = Self("Sec-Fetch-Site")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedHost = Self("X-Forwarded-Host")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let lastEventID = Self("Last-Event-ID")!
    static let uiMessageStreamProtocol = Self(ServerSentEvents.protocolHeaderName)!
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}
