import Hummingbird

/// Static assets: the app's own files under /public, cached for a day (file names are stable; the
/// pages add a version query to bust caches on upgrade).
enum StaticFiles {
    static func publicFiles(directory: String) -> FileMiddleware<AppRequestContext, LocalFileSystem> {
        FileMiddleware(directory, urlBasePath: "/public", cacheControl: .init([(MediaType(type: .any), [.public, .maxAge(86400)])]), searchForIndexHtml: false)
    }
}

/// Minimal error pages until the web module renders them.
enum ErrorPages {
    @Sendable static func render(_ error: APIError, requestID: String) -> Response {
        let title = error.kind == .notFound ? "Page not found" : "Something went wrong"
        let html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(title)</title></head><body><main><h1>\(title)</h1><p>\(HTMLText.escape(error.message))</p><p><a href=\"/\">Back to chat</a></p></main></body></html>"
        return Response(status: error.status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: .init(string: html)))
    }
}

/// Escapes text for HTML per Unicode scalar, so a quote followed by a combining mark is still escaped.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
