import Foundation

/// An image's width and height in pixels, read from its header without decoding it: PNG's IHDR, GIF's logical
/// screen, WebP's VP8/VP8L/VP8X chunk, JPEG's start-of-frame segment. nil when the header cannot be read
/// (the upload is then not refused for its size: Converse checks the image itself).
public struct ImageSize: Sendable, Equatable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public static func read(_ data: Data, kind: FileKind) -> ImageSize? {
        let bytes = [UInt8](data.prefix(kind == .jpeg ? Self.jpegScanLimit : 64))
        return switch kind {
        case .png: Self.png(bytes)
        case .gif: Self.gif(bytes)
        case .webp: Self.webp(bytes)
        case .jpeg: Self.jpeg(bytes)
        default: nil
        }
    }

    /// JPEG headers (EXIF thumbnails, ICC profiles) may run long before the frame header; no image needs more.
    static let jpegScanLimit = 4 * 1024 * 1024

    static func bigEndian(_ b: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= b.count else { return nil }
        return b[at..<at + count].reduce(0) { $0 << 8 | Int($1) }
    }

    static func littleEndian(_ b: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= b.count else { return nil }
        return b[at..<at + count].reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    static func tag(_ b: [UInt8], _ at: Int) -> String? {
        guard at + 4 <= b.count else { return nil }
        return String(decoding: b[at..<at + 4], as: UTF8.self)
    }

    /// Signature (8), chunk length (4), "IHDR", width and height as 32-bit big-endian.
    static func png(_ b: [UInt8]) -> ImageSize? {
        guard tag(b, 12) == "IHDR", let w = bigEndian(b, 16, 4), let h = bigEndian(b, 20, 4) else { return nil }
        return ImageSize(width: w, height: h)
    }

    /// "GIF8xa", then the logical screen's width and height as 16-bit little-endian.
    static func gif(_ b: [UInt8]) -> ImageSize? {
        guard let w = littleEndian(b, 6, 2), let h = littleEndian(b, 8, 2) else { return nil }
        return ImageSize(width: w, height: h)
    }

    /// "RIFF" size "WEBP", then the first chunk: VP8X (canvas size, 24-bit minus one), VP8L (14-bit minus one
    /// after the 0x2F signature) or VP8 (a key frame's 14-bit sizes after the 9D 01 2A start code).
    static func webp(_ b: [UInt8]) -> ImageSize? {
        switch tag(b, 12) {
        case "VP8X":
            guard let w = littleEndian(b, 24, 3), let h = littleEndian(b, 27, 3) else { return nil }
            return ImageSize(width: w + 1, height: h + 1)
        case "VP8L":
            guard b.count > 20, b[20] == 0x2F, let bits = littleEndian(b, 21, 4) else { return nil }
            return ImageSize(width: (bits & 0x3FFF) + 1, height: ((bits >> 14) & 0x3FFF) + 1)
        case "VP8 ":
            guard b.count >= 30, b[23] == 0x9D, b[24] == 0x01, b[25] == 0x2A,
                let w = littleEndian(b, 26, 2), let h = littleEndian(b, 28, 2)
            else { return nil }
            return ImageSize(width: w & 0x3FFF, height: h & 0x3FFF)
        default:
            return nil
        }
    }

    /// Walks the segments after SOI to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC): its
    /// precision byte, then height and width as 16-bit big-endian.
    static func jpeg(_ b: [UInt8]) -> ImageSize? {
        var at = 2
        while at + 4 <= b.count {
            guard b[at] == 0xFF else { return nil }
            let marker = b[at + 1]
            if marker == 0xFF { at += 1; continue }  // fill byte
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { at += 2; continue }  // no length
            if marker == 0xD9 || marker == 0xDA { return nil }  // end of image, or scan data before any frame
            guard let length = bigEndian(b, at + 2, 2), length >= 2 else { return nil }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard let h = bigEndian(b, at + 5, 2), let w = bigEndian(b, at + 7, 2) else { return nil }
                return ImageSize(width: w, height: h)
            }
            at += 2 + length
        }
        return nil
    }
}
