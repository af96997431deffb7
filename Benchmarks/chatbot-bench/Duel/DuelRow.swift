import Foundation

/// Percentiles of a set of answers.
struct DuelSummary {
    let count: Int
    let failures: Int
    let firstP50: Double
    let firstP99: Double
    let wholeP50: Double
    let wholeP99: Double

    init(_ answers: [AnswerTiming]) {
        let good = answers.filter { $0.failure == nil }
        self.count = answers.count
        self.failures = answers.count - good.count
        let firsts = good.compactMap(\.firstToken)
        let wholes = good.map(\.whole)
        self.firstP50 = Self.percentile(firsts, 0.5)
        self.firstP99 = Self.percentile(firsts, 0.99)
        self.wholeP50 = Self.percentile(wholes, 0.5)
        self.wholeP99 = Self.percentile(wholes, 0.99)
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}

/// One server at one level, next to the fake alone at the same level.
struct DuelRow {
    let level: Int
    let server: String
    let direct: DuelSummary
    let answers: DuelSummary
    let peakMiB: Double
    let cpuSeconds: Double
    let firstFailure: String?

    init(level: Int, server: String, direct: [AnswerTiming], answers: [AnswerTiming], peakMiB: Double, cpuSeconds: Double) {
        self.level = level
        self.server = server
        self.direct = DuelSummary(direct)
        self.answers = DuelSummary(answers)
        self.peakMiB = peakMiB
        self.cpuSeconds = cpuSeconds
        self.firstFailure = answers.compactMap(\.failure).first
    }

    var failures: Int { self.answers.failures }
    var firstOverDirect: Double { self.answers.firstP50 - self.direct.firstP50 }
    var wholeRatio: Double { self.answers.wholeP50 / self.direct.wholeP50 }
    var cpuPerAnswer: Double { self.cpuSeconds / Double(max(1, self.answers.count - self.answers.failures)) }

    /// A progress line, printed as each level ends.
    var line: String {
        String(
            format: "N=%d %@: first token p50 %.0f ms (+%.0f over direct %.0f) p99 %.0f ms; whole p50 %.2f s (x%.3f direct) p99 %.2f s; failed %d; peak RSS %.1f MiB; CPU %.4f s/answer%@",
            self.level, self.server, self.answers.firstP50 * 1000, self.firstOverDirect * 1000, self.direct.firstP50 * 1000,
            self.answers.firstP99 * 1000, self.answers.wholeP50, self.wholeRatio, self.answers.wholeP99, self.failures, self.peakMiB,
            self.cpuPerAnswer, self.firstFailure.map { "; first failure: \($0)" } ?? "")
    }

    /// The markdown table the README carries.
    static func table(_ rows: [DuelRow]) -> String {
        var lines = [
            "| N | server | TTFT p50 / p99 (ms) | TTFT over direct (ms) | whole p50 / p99 (s) | whole ÷ direct | failed | peak RSS (MiB) | CPU s/answer |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for row in rows {
            lines.append(
                String(
                    format: "| %d | %@ | %.0f / %.0f | %+.0f | %.2f / %.2f | %.3f | %d of %d | %.1f | %.4f |", row.level, row.server,
                    row.answers.firstP50 * 1000, row.answers.firstP99 * 1000, row.firstOverDirect * 1000, row.answers.wholeP50,
                    row.answers.wholeP99, row.wholeRatio, row.failures, row.answers.count, row.peakMiB, row.cpuPerAnswer))
        }
        return lines.joined(separator: "\n")
    }
}
