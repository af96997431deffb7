import Foundation

/// What `chatbot doctor` prints: where credentials came from and a table of models with their fixes.
public struct DoctorReport: Sendable {
    /// One line per check that is not a model (database, credentials, endpoint), as `(name, status)`.
    public var checks: [(String, String)]
    /// One result per model.
    public var models: [ModelProbe.Result]

    public init(checks: [(String, String)] = [], models: [ModelProbe.Result]) {
        self.checks = checks
        self.models = models
    }

    public var allModelsOK: Bool { self.models.allSatisfy(\.ok) }

    /// A plain-text report: the checks, then a `model id | status | why | fix` table.
    public func render() -> String {
        var out = ""
        let nameWidth = self.checks.map(\.0.count).max() ?? 0
        for (name, status) in self.checks {
            out += name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  " + status + "\n"
        }
        if !self.checks.isEmpty { out += "\n" }
        let rows: [[String]] = self.models.map { result in
            let ms = Int(result.elapsed.components.seconds * 1000 + result.elapsed.components.attoseconds / 1_000_000_000_000_000)
            if let error = result.error {
                return [result.modelID, "FAIL \(error.kind.rawValue)", result.verdict.rawValue, error.message]
            }
            return [result.modelID, "ok (\(ms) ms)", "can invoke", ""]
        }
        let header = ["model id", "status", "why", "fix"]
        let widths = (0..<3).map { column in max(header[column].count, rows.map { $0[column].count }.max() ?? 0) }
        func line(_ row: [String]) -> String {
            let text = (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) + " | " }.joined() + row[3]
            return String(text.reversed().drop(while: { $0 == " " }).reversed()) + "\n"
        }
        out += line(header)
        out += widths.map { String(repeating: "-", count: $0) + "-+-" }.joined() + "---\n"
        for row in rows { out += line(row) }
        let failed = self.models.filter { !$0.ok }.count
        out += failed == 0 ? "\nAll \(self.models.count) models answered.\n" : "\n\(failed) of \(self.models.count) models failed.\n"
        return out
    }
}
