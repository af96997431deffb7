#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TestSupport

/// A client that really goes away: a plain TCP socket closed mid-response, which is what a closed
/// browser tab does (an HTTP client library may instead drain or pool the connection).
enum RawHTTP {
    /// Sends `request` to 127.0.0.1:`port`, reads until `marker` has arrived, closes the socket and
    /// returns what was read.
    static func sendThenHangUp(port: Int, request: String, until marker: String) async throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestSetupError("connect() to port \(port) failed") }
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw TestSetupError("write() failed") }
            sent += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains(marker) {
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { throw TestSetupError("the response ended before \(marker): \(String(decoding: received, as: UTF8.self))") }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
