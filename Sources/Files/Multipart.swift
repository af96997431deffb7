import Foundation

/// A `multipart/form-data` body (RFC 7578) split into its parts; enough for one file upload.
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        public var data: Data
    }

    public var parts: [Part]

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    public static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            var value = String(piece.dropFirst("boundary=".count))
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    public init(body: Data, boundary: String) throws(FileError) {
        let delimiter = Data("--\(boundary)".utf8)
        let crlf = Data("\r\n".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        guard var cursor = body.range(of: delimiter)?.upperBound else { throw .malformedUpload("the multipart boundary was not found") }
        var parts: [Part] = []
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: crlf) else { throw .malformedUpload("a multipart delimiter is not followed by a line break") }
            cursor += 2
            guard let headEnd = body.range(of: headerEnd, in: cursor..<body.endIndex) else { throw .malformedUpload("a part has no header end") }
            let head = String(decoding: body[cursor..<headEnd.lowerBound], as: UTF8.self)
            let next = crlf + delimiter
            guard let end = body.range(of: next, in: headEnd.upperBound..<body.endIndex) else {
                throw .malformedUpload("the body ends before its closing boundary")
            }
            var name: String?
            var filename: String?
            var contentType: String?
            for line in head.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if field == "content-disposition" {
                    name = Self.parameter("name", in: value)
                    filename = Self.parameter("filename", in: value)
                } else if field == "content-type" {
                    contentType = value
                }
            }
            guard let name else { throw .malformedUpload("a part has no name") }
            parts.append(Part(name: name, filename: filename, contentType: contentType, data: Data(body[headEnd.upperBound..<end.lowerBound])))
            cursor = end.upperBound
        }
        self.parts = parts
    }

    /// A `name="value"` (or unquoted) parameter of a header value; quoted values may hold `;`.
    static func parameter(_ key: String, in value: String) -> String? {
        var rest = Substring(value)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop(while: { $0 == " " })
            guard rest.lowercased().hasPrefix(key + "=") else { continue }
            let raw = rest.dropFirst(key.count + 1)
            if raw.first == "\"" {
                var out = ""
                var escaped = false
                for character in raw.dropFirst() {
                    if escaped {
                        out.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        return out
                    } else {
                        out.append(character)
                    }
                }
                return nil
            }
            return String(raw.prefix(while: { $0 != ";" })).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
