import Foundation

extension JSONResponse {
    /// RFC 3339 in UTC with milliseconds and `Z`, e.g. `2026-11-29T09:53:38.123Z`: every date the API and the log write.
    /// Without the zone designator, JavaScript's `Date` reads the text as local time.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
