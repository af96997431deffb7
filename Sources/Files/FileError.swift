/// Why an upload or a download was refused; App maps each case to a status and a message.
public enum FileError: Error, Sendable, Equatable {
    /// The body is not multipart/form-data, or it has no `file` field.
    case missingFile
    case malformedUpload(String)
    case empty
    case unsupportedType(name: String, detail: String)
    case tooLarge(name: String, limit: Int, isImage: Bool)
    /// An image wider or taller than Converse takes (8000 px).
    case imageTooLarge(name: String, width: Int, height: Int, limit: Int)
    /// The user uploaded more files, or more bytes, in the window than the limit allows.
    case uploadLimit(files: Int, bytes: Int, windowSeconds: Int, retryAfterSeconds: Int)
    /// The chat already has this many unsent files of the user.
    case tooManyFiles(limit: Int)
    /// No such file, or not this viewer's to read.
    case notFound
    /// The chat is someone else's.
    case chatNotYours
}
