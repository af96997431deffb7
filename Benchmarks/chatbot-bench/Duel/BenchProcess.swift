import Foundation

/// A server the duel starts as a child process and measures from outside, through /proc, as an operator would.
final class BenchProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched from the benchmark's single driving task.
    let name: String
    private let process: Process
    private let log: FileHandle

    /// Starts `executable` with `arguments` and exactly `environment`; stdout and stderr go to `logPath`.
    init(name: String, executable: String, arguments: [String], environment: [String: String], logPath: String) throws {
        self.name = name
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        self.log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        self.process = Process()
        self.process.executableURL = URL(fileURLWithPath: executable)
        self.process.arguments = arguments
        self.process.environment = environment
        self.process.standardOutput = self.log
        self.process.standardError = self.log
        try self.process.run()
    }

    var pid: Int32 { self.process.processIdentifier }
    var isRunning: Bool { self.process.isRunning }

    /// Polls `url` until it answers 200, and returns how long that took since `since`; nil after `limit`.
    func waitHealthy(url: String, since: ContinuousClock.Instant, limit: Duration = .seconds(120)) async -> Duration? {
        while ContinuousClock.now - since < limit, self.isRunning {
            if await Probe.isOK(url) { return ContinuousClock.now - since }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Resident memory of the process and all its descendants, in MiB.
    func residentMiB() -> Double {
        Double(ProcessTree.descendants(of: self.pid).map { ProcessTree.residentKiB($0) }.reduce(0, +)) / 1024
    }

    /// CPU seconds (user + system) used so far by the process and all its descendants.
    func cpuSeconds() -> Double {
        ProcessTree.descendants(of: self.pid).map { ProcessTree.cpuSeconds($0) }.reduce(0, +)
    }

    /// SIGTERM to the process and everything below it; whatever is still alive after `grace` gets SIGKILL.
    /// LiteLLM's proxy ignores SIGTERM while it serves, so an unbounded wait hung the duel at its end.
    func stop(grace: Duration = .seconds(10)) {
        // Collected first: children of a parent that dies are re-parented and no longer found under it.
        let tree = ProcessTree.descendants(of: self.pid)
        for pid in tree.reversed() { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, tree.contains(where: ProcessTree.isAlive) { usleep(50_000) }
        let stubborn = tree.filter(ProcessTree.isAlive)
        if !stubborn.isEmpty {
            say("\(self.name): \(stubborn.count) process(es) still alive \(grace) after SIGTERM; sending SIGKILL")
            for pid in stubborn { kill(pid, SIGKILL) }
        }
        self.process.waitUntilExit()
        try? self.log.close()
    }
}

/// Reads /proc: the process tree, resident memory and CPU time.
enum ProcessTree {
    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// `pid` and every process below it.
    static func descendants(of pid: Int32) -> [Int32] {
        var result = [pid]
        var index = 0
        while index < result.count {
            let children = (try? String(contentsOfFile: "/proc/\(result[index])/task/\(result[index])/children", encoding: .utf8)) ?? ""
            result += children.split(separator: " ").compactMap { Int32($0) }
            index += 1
        }
        return result
    }

    /// Alive and not a zombie (a child that exited but was not yet reaped counts as gone).
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }

    static func residentKiB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
    }

    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / self.ticksPerSecond
    }
}

/// Samples a process's resident memory while a load runs, keeping the peak.
final class PeakSampler: Sendable {
    private let task: Task<Double, Never>

    init(_ process: BenchProcess) {
        self.task = Task {
            var peak = process.residentMiB()
            while !Task.isCancelled {
                peak = max(peak, process.residentMiB())
                try? await Task.sleep(for: .milliseconds(50))
            }
            return peak
        }
    }

    func finish() async -> Double {
        self.task.cancel()
        return await self.task.value
    }
}
