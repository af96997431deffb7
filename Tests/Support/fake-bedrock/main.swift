import BedrockFake
import Foundation

/// `fake-bedrock --port N [--delay-ms N] [--region R] [--access-key-id ID --secret-access-key S [--session-token T]] [--bearer-token KEY]`
///
/// Prints the base URL as the first line of stdout and serves until SIGTERM or SIGINT.
var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard flag.hasPrefix("--"), let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("usage: fake-bedrock --port N [--delay-ms N] [--region R] [--access-key-id ID --secret-access-key S [--session-token T]] [--bearer-token KEY]\n".utf8))
        exit(2)
    }
    options[String(flag.dropFirst(2))] = value
}
let keyID = options["access-key-id"] ?? FakeBedrockServer.exampleAccessKeyID
let keys = FakeKeyStore([keyID: .init(secret: options["secret-access-key"] ?? FakeBedrockServer.exampleSecret, token: options["session-token"])])
let server = FakeBedrockServer(
    region: options["region"] ?? "us-east-1", keys: keys, defaultEventDelay: .milliseconds(Int(options["delay-ms"] ?? "0") ?? 0),
    apiKey: options["bearer-token"])
let url = try await server.start(port: Int(options["port"] ?? "0") ?? 0)
// Written unbuffered, so a parent process reading the first line gets it at once.
FileHandle.standardOutput.write(Data((url + "\n").utf8))

// SIGTERM and SIGINT keep their default action (end the process): the fake holds nothing to flush.
await server.wait()
