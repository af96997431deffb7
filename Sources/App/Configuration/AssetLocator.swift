import Foundation

/// Finds the browser assets (`Public/`) wherever the binary runs, or says at start why it cannot.
///
/// Search order: PUBLIC_DIR when set (it must hold the assets, or start-up fails); otherwise `Public/`
/// in the binary's folder and each folder above it (a container's /app/chatbot finds /app/Public, a
/// development build in .build/debug finds the repository's), then in the working directory.
enum AssetLocator {
    /// A file every asset folder has; a folder without it is someone else's `Public`.
    static let marker = "css/app.css"

    static func publicDirectory(configured: String, executable: String? = Bundle.main.executablePath, workingDirectory: String = FileManager.default.currentDirectoryPath)
        throws(ConfigurationError) -> String
    {
        if !configured.isEmpty {
            let absolute = self.absolute(configured, from: workingDirectory)
            guard self.holdsAssets(absolute) else {
                throw ConfigurationError(
                    variable: "PUBLIC_DIR",
                    message: "PUBLIC_DIR is \(absolute), which has no \(Self.marker). Point it at the app's Public folder (in the image: /app/Public).")
            }
            return absolute
        }
        let candidates = self.candidates(executable: executable, workingDirectory: workingDirectory)
        if let found = candidates.first(where: self.holdsAssets) { return found }
        throw ConfigurationError(
            variable: "PUBLIC_DIR",
            message: "The browser assets were not found (looked in \(candidates.joined(separator: ", "))). Set PUBLIC_DIR to the app's Public folder.")
    }

    static func candidates(executable: String?, workingDirectory: String) -> [String] {
        var folders: [String] = []
        if let executable {
            var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            while true {
                folders.append(folder.appendingPathComponent("Public").path)
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        folders.append(self.absolute("Public", from: workingDirectory))
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    static func holdsAssets(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(self.marker))
    }

    static func absolute(_ path: String, from workingDirectory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: workingDirectory).appendingPathComponent(path).standardizedFileURL.path
    }
}
