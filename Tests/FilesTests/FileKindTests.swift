import Bedrock
import Files
import Foundation
import Testing

@Suite("File types by content") struct FileKindTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])

    @Test("images and PDFs are known by their signature whatever their name")
    func signatures() throws {
        #expect(try FileKind.detect(Self.png, name: "notes.txt").get() == .png)
        #expect(try FileKind.detect(Data([0xFF, 0xD8, 0xFF, 0xE0, 1]), name: "x").get() == .jpeg)
        #expect(try FileKind.detect(Data("GIF89a....".utf8), name: "x.png").get() == .gif)
        #expect(try FileKind.detect(Data("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), name: "x").get() == .webp)
        #expect(try FileKind.detect(Data("%PDF-1.7\n".utf8), name: "a.png").get() == .pdf)
    }

    @Test("text is UTF-8 without NUL, typed by its extension; markup is refused even when renamed")
    func text() throws {
        #expect(try FileKind.detect(Data("a,b\n1,2\n".utf8), name: "t.csv").get() == .csv)
        #expect(try FileKind.detect(Data("# Title\n".utf8), name: "README.md").get() == .md)
        #expect(try FileKind.detect(Data("hello".utf8), name: "hello.txt").get() == .txt)
        for (name, text) in [("x.png", "<svg xmlns='http://www.w3.org/2000/svg'/>"), ("x.txt", "\u{FEFF}  <!DOCTYPE html><p>"), ("x.md", "<?xml version='1.0'?>")] {
            guard case .failure(.unsupportedType) = FileKind.detect(Data(text.utf8), name: name) else {
                Issue.record("\(name) was accepted")
                continue
            }
        }
        guard case .failure = FileKind.detect(Data("plain words".utf8), name: "image.png") else { Issue.record("text named .png accepted"); return }
        guard case .failure = FileKind.detect(Data([0x61, 0x00, 0x62]), name: "a.txt") else { Issue.record("NUL accepted"); return }
        guard case .failure = FileKind.detect(Data([0xC3, 0x28]), name: "a.txt") else { Issue.record("invalid UTF-8 accepted"); return }
    }

    @Test("a ZIP archive is DOCX or XLSX by its name, else refused")
    func zip() throws {
        let zip = Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0])
        #expect(try FileKind.detect(zip, name: "a.docx").get() == .docx)
        #expect(try FileKind.detect(zip, name: "b.XLSX").get() == .xlsx)
        guard case .failure = FileKind.detect(zip, name: "c.zip") else { Issue.record("zip accepted"); return }
    }

    @Test("multipart bodies yield their file part, bytes intact")
    func multipart() throws {
        let boundary = "XyZ"
        var body = Data("--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n".utf8)
        body += Data("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += Self.png + Data("\r\n--X".utf8) + Data("\r\n--XyZ--\r\n".utf8)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"XyZ\"") == boundary)
        let form = try MultipartForm(body: body, boundary: boundary)
        #expect(form.parts.map(\.name) == ["note", "file"])
        #expect(form.parts[1].filename == "a;b.png")
        #expect(form.parts[1].data == Self.png + Data("\r\n--X".utf8))
        #expect(throws: FileError.self) { try MultipartForm(body: Data("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc".utf8), boundary: boundary) }
    }

    @Test("document names become what Converse accepts")
    func documentNames() {
        #expect(DocumentBlock.safeName("Q3 report.final.pdf") == "Q3 report final pdf")
        #expect(DocumentBlock.safeName("a__b  (c)[d].csv") == "a b (c)[d] csv")
        #expect(DocumentBlock.safeName("../../etc/passwd") == "etc passwd")
        #expect(DocumentBlock.safeName("日本.pdf") == "pdf")
        #expect(DocumentBlock.safeName("...") == "document")
        #expect(DocumentBlock.safeName(String(repeating: "a", count: 300)).count == 200)
    }
}
