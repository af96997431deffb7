import Foundation

/// The INI dialect of `~/.aws/credentials` and `~/.aws/config`.
public enum AWSConfigFile {
    /// Sections by name (as written between brackets, trimmed), each a map of lower-cased keys to values.
    ///
    /// Comment lines (`#`, `;`) and indented continuation lines (nested settings such as
    /// `s3 =` blocks) are skipped: none of the keys read here is nested.
    public static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if rawLine.first == " " || rawLine.first == "\t" { continue }
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { current = nil; continue }
                let name = line[line.index(after: line.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][key] = value
        }
        return sections
    }

    /// The profile chosen by `AWS_PROFILE` (then `AWS_DEFAULT_PROFILE`), or `default`.
    public static func profileName(environment: [String: String]) -> String {
        for name in ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return "default"
    }

    /// The shared credentials file path (`AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`).
    public static func credentialsPath(environment: [String: String]) -> String {
        Self.expand(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", environment: environment)
    }

    /// The shared config file path (`AWS_CONFIG_FILE` or `~/.aws/config`).
    public static func configPath(environment: [String: String]) -> String {
        Self.expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config", environment: environment)
    }

    /// The settings of a profile in the config file, where it is `[profile name]` (or `[default]`).
    public static func configSection(_ sections: [String: [String: String]], profile: String) -> [String: String]? {
        if let section = sections["profile \(profile)"] { return section }
        return profile == "default" ? sections["default"] : nil
    }

    /// The region for a profile: `region` in the config file; `nil` when the file or key is missing.
    public static func region(environment: [String: String]) -> String? {
        guard let data = FileManager.default.contents(atPath: Self.configPath(environment: environment)) else { return nil }
        let sections = Self.parse(String(decoding: data, as: UTF8.self))
        return Self.configSection(sections, profile: Self.profileName(environment: environment))?["region"]
    }

    static func expand(_ path: String, environment: [String: String]) -> String {
        guard path.hasPrefix("~") else { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
