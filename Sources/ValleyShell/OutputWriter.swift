#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ValleyCore

/// A buffered writer to a file descriptor (stdout or stderr); flushed before reading input.
final class OutputWriter {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    var isTerminal: Bool { isatty(fd) == 1 }
}

/// `output FILE`: rendered output collected in a temporary file beside the target and moved
/// into place (fsync, rename) when the redirection ends, so the file is never half-written.
final class OutputRedirection {
    let path: String
    private var contents: [UInt8] = []

    init(path: String) throws {
        self.path = path
        if FileIO.entry(at: path) == .directory {
            throw ValleyError.file(path: path, reason: "is a directory, not a file")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw ValleyError.file(path: path, reason: "its directory cannot be written")
        }
    }

    func write(_ text: String) { contents.append(contentsOf: text.utf8) }

    func finish() throws { try FileIO.writeAtomically(contents, to: path) }
}
