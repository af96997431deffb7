import Files
import Foundation

/// Where uploads go and how large they may be: the database unless S3_BUCKET is set.
public struct FileConfiguration: Sendable {
    public var limits: FileLimits
    /// nil: the database stores the bytes.
    public var s3: S3BlobStore.Configuration?

    init(environment env: [String: String], awsRegion: String) throws(ConfigurationError) {
        var limits = FileLimits()
        limits.maxImageBytes = try AppConfiguration.parse(env, "UPLOAD_MAX_IMAGE_BYTES", default: limits.maxImageBytes) { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        limits.maxDocumentBytes = try AppConfiguration.parse(env, "UPLOAD_MAX_DOCUMENT_BYTES", default: limits.maxDocumentBytes) {
            Int($0).flatMap { $0 > 0 ? $0 : nil }
        }
        limits.maxPendingPerChat = try AppConfiguration.parse(env, "UPLOAD_MAX_FILES_PER_MESSAGE", default: limits.maxPendingPerChat) {
            Int($0).flatMap { (1...100).contains($0) ? $0 : nil }
        }
        limits.uploadsPerWindow = try AppConfiguration.parse(env, "UPLOAD_LIMIT_FILES_PER_HOUR", default: limits.uploadsPerWindow) {
            Int($0).flatMap { $0 > 0 ? $0 : nil }
        }
        limits.uploadBytesPerWindow = try AppConfiguration.parse(env, "UPLOAD_LIMIT_BYTES_PER_HOUR", default: limits.uploadBytesPerWindow) {
            Int($0).flatMap { $0 > 0 ? $0 : nil }
        }
        self.limits = limits
        guard let bucket = env["S3_BUCKET"].nonEmpty else {
            self.s3 = nil
            return
        }
        var endpoint: URL?
        if let raw = env["S3_ENDPOINT"].nonEmpty {
            guard let url = URL(string: raw), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw ConfigurationError(variable: "S3_ENDPOINT", message: "S3_ENDPOINT must be an http(s) URL of an S3-compatible server (got \(raw)).")
            }
            endpoint = url
        }
        let sse = env["S3_SSE"].nonEmpty ?? "AES256"
        guard ["AES256", "aws:kms"].contains(sse) else {
            throw ConfigurationError(variable: "S3_SSE", message: "S3_SSE must be AES256 or aws:kms (got \(sse)).")
        }
        self.s3 = S3BlobStore.Configuration(
            bucket: bucket, region: env["S3_REGION"].nonEmpty ?? awsRegion, endpoint: endpoint, serverSideEncryption: sse)
    }
}
