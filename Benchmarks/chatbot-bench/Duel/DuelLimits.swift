import Foundation

/// The machine's limits that decide whether N = 500 or 1,000 can run at all: open files per process (the bench,
/// the fake and the servers each hold a socket per stream; the servers two, in and out), the listen backlog and
/// the ephemeral ports. The soft open-file limit is raised to the hard one here; the servers and the fake are
/// started by this process and inherit it.
enum DuelLimits {
    /// Sockets the busiest process may hold at `level` with `capacityStreams` for the fake's check: a server holds
    /// the client's, the model's and the title's socket per answer; the bench keeps idle pooled ones too.
    static func neededFiles(level: Int, capacityStreams: Int) -> Int {
        3 * max(level, capacityStreams) + 1024
    }

    /// Raises the soft open-file limit to the hard one and says what limits the run; returns the soft limit.
    @discardableResult
    static func prepare(maxLevel: Int, capacityStreams: Int) -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let before = limit.rlim_cur
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 { limit.rlim_cur = before }
        }
        let needed = self.neededFiles(level: maxLevel, capacityStreams: capacityStreams)
        say("open files per process: \(limit.rlim_cur) (was \(before), hard \(limit.rlim_max)); about \(needed) needed at N = \(maxLevel)")
        if limit.rlim_cur < needed {
            say("warning: too few open files for N = \(maxLevel): raise the hard limit (ulimit -Hn, or LimitNOFILE for a service) or lower DUEL_LEVELS")
        }
        if let backlog = self.readInt("/proc/sys/net/core/somaxconn"), backlog < maxLevel {
            say("warning: net.core.somaxconn is \(backlog): the kernel caps the servers' backlog of 4096 there, so \(maxLevel) clients connecting at once may be reset")
        }
        if let range = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8) {
            let bounds = range.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            if bounds.count == 2, bounds[1] - bounds[0] < 4 * max(maxLevel, capacityStreams) {
                say("warning: only \(bounds[1] - bounds[0]) ephemeral ports (net.ipv4.ip_local_port_range); loopback connections may run out")
            }
        }
        return Int(limit.rlim_cur)
    }

    static func readInt(_ path: String) -> Int? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
