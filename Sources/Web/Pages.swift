import Foundation

/// The server-rendered pages. Each returns a complete document; the browser modules in
/// `Public/js` fetch the data (history, messages, models) from the JSON APIs.
public enum Pages {}
