import Hummingbird

/// Static assets: the app's own files under /public. ES modules import each other by plain URL, so no
/// version can be put in their names: browsers revalidate each time (ETag, Last-Modified), which keeps
/// old and new modules from mixing after an upgrade.
enum StaticFiles {
    static func publicFiles(directory: String) -> FileMiddleware<AppRequestContext, LocalFileSystem> {
        FileMiddleware(directory, urlBasePath: "/public", cacheControl: .init([(MediaType(type: .any), [.noCache])]), searchForIndexHtml: false)
    }
}
