import Foundation

/// The file types an upload may be, decided from the bytes (and, for text and ZIP containers, the name).
///
/// Images and PDFs are recognised by their signature alone. Text types (CSV, TXT, MD) have none: a text file is
/// valid UTF-8 without NUL bytes, and its name's extension says which text type it is. DOCX and XLSX are ZIP
/// archives; the signature proves a ZIP and the extension says which Office format (the app does not open the
/// archive: Bedrock reads it). HTML and SVG are never accepted, whatever the name, because they could run script
/// if a browser ever rendered them.
public enum FileKind: String, Sendable, CaseIterable {
    case png, jpeg, gif, webp, pdf, csv, txt, md, docx, xlsx

    public var isImage: Bool { [.png, .jpeg, .gif, .webp].contains(self) }

    /// The media type it is served and sent as.
    public var mediaType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .pdf: "application/pdf"
        case .csv: "text/csv"
        case .txt: "text/plain"
        case .md: "text/markdown"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    /// The Converse `format` of its image or document block.
    public var converseFormat: String { self.rawValue }

    /// The kind whose media type this is (for stored files).
    public init?(mediaType: String) {
        guard let kind = Self.allCases.first(where: { $0.mediaType == mediaType }) else { return nil }
        self = kind
    }

    /// What the bytes are, or why they are refused.
    public static func detect(_ bytes: Data, name: String) -> Result<FileKind, FileError> {
        let head = [UInt8](bytes.prefix(16))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .success(.png) }
        if starts([0xFF, 0xD8, 0xFF]) { return .success(.jpeg) }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .success(.gif) }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .success(.webp) }
        if starts(Array("%PDF-".utf8)) { return .success(.pdf) }
        let ext = (name as NSString).pathExtension.lowercased()
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            switch ext {
            case "docx": return .success(.docx)
            case "xlsx": return .success(.xlsx)
            default: return .failure(.unsupportedType(name: name, detail: "a ZIP archive is accepted only as .docx or .xlsx"))
            }
        }
        guard !bytes.contains(0), String(data: bytes, encoding: .utf8) != nil else {
            return .failure(.unsupportedType(name: name, detail: "its content is not PNG, JPEG, GIF, WebP, PDF, DOCX, XLSX or UTF-8 text"))
        }
        if Self.looksLikeMarkup(bytes) {
            return .failure(.unsupportedType(name: name, detail: "HTML, SVG and XML are not accepted"))
        }
        switch ext {
        case "csv": return .success(.csv)
        case "md", "markdown": return .success(.md)
        case "txt", "text", "": return .success(.txt)
        default:
            return .failure(.unsupportedType(name: name, detail: "its content is text, which is accepted only as .txt, .csv or .md"))
        }
    }

    /// Text whose first non-blank characters open an HTML, SVG or XML document.
    static func looksLikeMarkup(_ bytes: Data) -> Bool {
        var text = String(decoding: bytes.prefix(512), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let start = text.drop(while: { $0.isWhitespace }).lowercased()
        return ["<!doctype", "<html", "<svg", "<?xml", "<head", "<body", "<script", "<iframe", "<!--"].contains { start.hasPrefix($0) }
    }
}
