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

    // MARK: Image dimensions from crafted headers

    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(v >> (8 * $0) & 0xFF) } }

    static func pngHeader(_ w: Int, _ h: Int) -> Data {
        Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be32(13) + Array("IHDR".utf8) + be32(w) + be32(h) + [8, 6, 0, 0, 0])
    }

    static func gifHeader(_ w: Int, _ h: Int) -> Data { Data(Array("GIF89a".utf8) + le(w, 2) + le(h, 2) + [0, 0, 0]) }

    static func webp(_ chunk: String, _ body: [UInt8]) -> Data {
        Data(Array("RIFF".utf8) + le(4 + 8 + body.count, 4) + Array("WEBP".utf8) + Array(chunk.utf8) + le(body.count, 4) + body)
    }

    static func jpegHeader(_ w: Int, _ h: Int, sof: UInt8 = 0xC0) -> Data {
        let app0: [UInt8] = [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        // A DHT segment before the frame must be skipped, not read as one (0xC4 is in the SOF range).
        let dht: [UInt8] = [0xFF, 0xC4, 0x00, 0x05, 0x00, 0x01, 0x02]
        let frame: [UInt8] = [0xFF, sof, 0x00, 0x11, 8] + [UInt8(h >> 8), UInt8(h & 0xFF), UInt8(w >> 8), UInt8(w & 0xFF)] + [3] + Array(repeating: 0, count: 9)
        return Data([0xFF, 0xD8] + app0 + [0xFF, 0xFF] + dht + frame + [0xFF, 0xDA, 0x00, 0x02])
    }

    @Test("image sizes are read from PNG, GIF, WebP (VP8, VP8L, VP8X) and JPEG headers")
    func imageSizes() {
        #expect(ImageSize.read(Self.pngHeader(8001, 20), kind: .png) == ImageSize(width: 8001, height: 20))
        #expect(ImageSize.read(Self.gifHeader(640, 9000), kind: .gif) == ImageSize(width: 640, height: 9000))
        #expect(ImageSize.read(Self.webp("VP8X", [0x10, 0, 0, 0] + Self.le(8999, 3) + Self.le(99, 3)), kind: .webp) == ImageSize(width: 9000, height: 100))
        // VP8L: 0x2F, then 14 bits of width-1 and 14 of height-1, little-endian.
        let bits = (1023 - 1) | ((16383 - 1) << 14)
        #expect(ImageSize.read(Self.webp("VP8L", [0x2F] + Self.le(bits, 4) + [0]), kind: .webp) == ImageSize(width: 1023, height: 16383))
        #expect(ImageSize.read(Self.webp("VP8 ", [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2B] + Self.le(12000, 2) + Self.le(300, 2)), kind: .webp) == nil)
        #expect(ImageSize.read(Self.webp("VP8 ", [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A] + Self.le(12000, 2) + Self.le(300, 2)), kind: .webp) == ImageSize(width: 12000, height: 300))
        #expect(ImageSize.read(Self.jpegHeader(4000, 8500), kind: .jpeg) == ImageSize(width: 4000, height: 8500))
        #expect(ImageSize.read(Self.jpegHeader(10, 20, sof: 0xC2), kind: .jpeg) == ImageSize(width: 10, height: 20))
        // Truncated or unknown headers give no size (and are not refused for it).
        #expect(ImageSize.read(Self.pngHeader(1, 1).prefix(20), kind: .png) == nil)
        #expect(ImageSize.read(Data([0xFF, 0xD8, 0xFF, 0xDA, 0, 2]), kind: .jpeg) == nil)
        #expect(ImageSize.read(Self.jpegHeader(10, 20).prefix(30), kind: .jpeg) == nil)
        #expect(ImageSize.read(Self.webp("ALPH", [1, 2, 3]), kind: .webp) == nil)
    }
}
