import Hummingbird
import Web

/// Static assets: the app's own files under /public. ES modules import each other by plain URL, so no
/// version can be put in their names: browsers revalidate each time (ETag, Last-Modified), which keeps
/// old and new modules from mixing after an upgrade.
enum StaticFiles {
    static func publicFiles(directory: String) -> FileMiddleware<AppRequestContext, LocalFileSystem> {
        FileMiddleware(directory, urlBasePath: "/public", cacheControl: .init([(MediaType(type: .any), [.noCache])]), searchForIndexHtml: false)
    }
}

/// Error pages for browsers, rendered by the web module.
enum ErrorPages {
    @Sendable static func render(_ error: APIError, requestID: String) -> Response {
        let page = error.kind == .notFound ? Pages.notFound() : Pages.error(message: error.message, requestID: requestID)
        return Response(status: error.status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: .init(string: page.rendered)))
    }
}
