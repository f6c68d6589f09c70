#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ValleyCore

/// What reading one line gave.
public enum LineRead: Equatable, Sendable {
    /// A line, without its line break.
    case line(String)
    /// The input ended (end of file, Ctrl-D).
    case endOfInput
    /// Ctrl-C while waiting for input.
    case interrupted
}

/// Where a session's lines come from: libedit on a terminal, a stream, or a fixed list.
public protocol LineSource: AnyObject {
    /// Reads the next line; `prompt` is shown only by interactive sources.
    func readLine(prompt: String) throws -> LineRead
    /// Called with each complete command the session ran, for sources that keep history.
    func remember(_ command: String)
}

extension LineSource {
    /// Sources without history ignore it.
    public func remember(_ command: String) {}
}

/// A fixed list of lines: a script read from a file, `-c` commands, or a test's input.
public final class ScriptedLineSource: LineSource {
    private let lines: [Substring]
    private var next = 0

    /// Lines given one by one.
    public init(lines: [String]) {
        self.lines = lines.map { Substring($0) }
    }

    /// The lines of a text (a script file's contents); `\r\n` and `\n` both end a line.
    public init(text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        self.lines = lines.map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    public func readLine(prompt: String) throws -> LineRead {
        guard next < lines.count else { return .endOfInput }
        defer { next += 1 }
        return .line(String(lines[next]))
    }
}

/// Lines read from a file descriptor (a pipe, stdin redirected from a file, or a script file),
/// with no prompt and no editing; invalid UTF-8 is an error for that line. Memory holds the
/// current line and one read's worth of bytes, never the whole input.
public final class StreamLineSource: LineSource {
    private let fd: Int32
    private let name: String
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes after `start` already searched for a newline (so a long line is scanned once).
    private var scanned = 0
    private var ended = false
    private var isFirstLine = true

    /// Reads from the given descriptor (0 for stdin); `name` is used in read errors.
    public init(fd: Int32, name: String = "<stdin>") {
        self.fd = fd
        self.name = name
        self.ownsDescriptor = false
    }

    /// Opens a script file to read line by line.
    public init(path: String) throws {
        self.fd = try FileIO.openForReading(path)
        self.name = path
        self.ownsDescriptor = true
    }

    deinit { if ownsDescriptor { close(fd) } }

    public func readLine(prompt: String) throws -> LineRead {
        while true {
            if let newline = buffer[(start + scanned)...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let bytes = buffer[start..<end]
                start = newline + 1
                scanned = 0
                defer { if start > 65_536 { buffer.removeFirst(start); start = 0 } }
                return try decode(bytes)
            }
            scanned = buffer.count - start
            // A line longer than the read limit (a script that is /dev/zero) is refused, not held.
            if scanned > FileIO.readLimit { throw FileIO.tooLarge(name) }
            if ended {
                guard start < buffer.count else { return .endOfInput }
                let bytes = buffer[start...]
                start = buffer.count
                scanned = 0
                return try decode(bytes)
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR {
                    if Interruption.isRequested { return .interrupted }
                    continue
                }
                throw ValleyError.file(path: name, reason: String(cString: strerror(errno)))
            }
            if count == 0 { ended = true } else { buffer.append(contentsOf: chunk[0..<count]) }
        }
    }

    private func decode(_ bytes: ArraySlice<UInt8>) throws -> LineRead {
        var bytes = bytes
        if isFirstLine {
            isFirstLine = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ValleyError.invalidValue(field: "line", value: "…", expected: "valid UTF-8")
        }
        return .line(text)
    }
}
