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

/// Lines read from a file descriptor (a pipe, or stdin redirected from a file), with no
/// prompt and no editing; invalid UTF-8 is an error for that line.
public final class StreamLineSource: LineSource {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    /// Reads from the given descriptor (0 for stdin).
    public init(fd: Int32) { self.fd = fd }

    public func readLine(prompt: String) throws -> LineRead {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let bytes = buffer[start..<end]
                start = newline + 1
                if start > 65_536 { buffer.removeFirst(start); start = 0 }
                return try decode(bytes)
            }
            if ended {
                guard start < buffer.count else { return .endOfInput }
                let bytes = buffer[start...]
                start = buffer.count
                return try decode(bytes)
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR {
                    if Interruption.isRequested { return .interrupted }
                    continue
                }
                throw ValleyError.file(path: "<stdin>", reason: String(cString: strerror(errno)))
            }
            if count == 0 { ended = true } else { buffer.append(contentsOf: chunk[0..<count]) }
        }
    }

    private func decode(_ bytes: ArraySlice<UInt8>) throws -> LineRead {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ValleyError.invalidValue(field: "line", value: "…", expected: "valid UTF-8")
        }
        return .line(text)
    }
}
