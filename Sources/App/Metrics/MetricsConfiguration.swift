/// Where `/metrics` is served, if anywhere. Off unless METRICS_PORT or METRICS_TOKEN is set: counts of
/// requests, answers and tokens are operational data, so nothing is exposed that the operator did not ask for.
public struct MetricsConfiguration: Sendable, Equatable {
    /// A listener of its own (METRICS_PORT; 0 picks a free port, for tests), never the public port.
    public var port: Int?
    /// The metrics listener's interface (METRICS_HOST): loopback unless set, so only a collector beside the
    /// server (an ECS sidecar shares the task's network) can scrape it.
    public var host: String
    /// A bearer token (METRICS_TOKEN). Without METRICS_PORT, `/metrics` is served on the public port and only
    /// to a request that carries it; with METRICS_PORT, the metrics listener asks for it too.
    public var token: String?

    public var isEnabled: Bool { self.port != nil || self.token != nil }
    /// Served on the public port (behind the token) rather than a listener of its own.
    public var onPublicPort: Bool { self.port == nil && self.token != nil }

    init(environment env: [String: String], publicPort: Int) throws(ConfigurationError) {
        self.port = try env["METRICS_PORT"].nonEmpty.map { raw throws(ConfigurationError) in
            guard let port = Int(raw), (0...65535).contains(port) else {
                throw ConfigurationError(variable: "METRICS_PORT", message: "METRICS_PORT must be a port number (1-65535), got '\(raw)'.")
            }
            guard port == 0 || port != publicPort else {
                throw ConfigurationError(
                    variable: "METRICS_PORT",
                    message: "METRICS_PORT (\(port)) must differ from PORT: metrics are served on a listener of their own.")
            }
            return port
        }
        let host = env["METRICS_HOST"].nonEmpty
        if host != nil, self.port == nil {
            throw ConfigurationError(variable: "METRICS_HOST", message: "METRICS_HOST is set but METRICS_PORT is not; set METRICS_PORT too, or unset METRICS_HOST.")
        }
        self.host = host ?? "127.0.0.1"
        self.token = env["METRICS_TOKEN"].nonEmpty
        if let token = self.token, token.utf8.count < 16 {
            throw ConfigurationError(
                variable: "METRICS_TOKEN",
                message: "METRICS_TOKEN is too short (\(token.utf8.count) bytes); use at least 16 random bytes, e.g. `openssl rand -hex 24`.")
        }
    }
}
