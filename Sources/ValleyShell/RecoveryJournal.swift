#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
@_spi(Shell) import ValleyCore
import ValleyWorkspace

/// The durable record of an interactive session's changes, so that a session killed by
/// `kill -9`, the out-of-memory killer or a power cut can be recovered (issue 12).
///
/// One file per session, `$XDG_STATE_HOME/valley/session-PID-RANDOM.journal`, made at the session's
/// first change. JSON lines: a header with the *base* (what the session started from), then one
/// line per command that changed the model, holding the records the command left (slot-level
/// operations, `ClusterModel.journalOperations`), written and `fdatasync`ed before the prompt
/// returns. The session holds an exclusive `flock` on its file: a journal nobody holds belongs
/// to a session that ended without cleaning up. A clean exit deletes the file; `save` rewrites
/// it with the saved file as its base (compaction); `open` starts a new base.
///
/// The base is one of: a snapshot of the model slot for slot (the built-in data, an empty
/// model, a recovered model, an undone `open`), or a workspace file named by path, size and
/// modification time with the positions of the model's empty slots (`--workspace`, `open`,
/// `save`). A file base that changed since is refused rather than replayed onto other data.
final class RecoveryJournal {
    /// What replaying starts from.
    enum Base {
        /// A model, written slot for slot (`ClusterModel.slotSnapshot()`) when the journal's
        /// header is written: at the first change, so a session that changes nothing costs nothing.
        case snapshot(ClusterModel)
        /// A workspace file as it was when the base was taken, and the model's empty slots then.
        case file(path: String, size: Int, modified: Int, emptySlots: [String: [Int]])
    }

    let directory: String
    let path: String
    private var descriptor: Int32 = -1
    /// The base not yet written (written with the header at the first change, then dropped so
    /// that a snapshot's model copy does not outlive it).
    private var pendingBase: Base?
    /// Lines written since the base (the changes a recovery would replay).
    private(set) var changeCount = 0
    /// Set after a write fails: the session goes on, unprotected, and says so once.
    private(set) var failure: String?

    /// When the session started (kept in every header, across rebases).
    private let started = Int(Date().timeIntervalSince1970)

    /// A journal for this process in `directory`; nothing is written until the first change.
    init(directory: String, base: Base) {
        self.directory = directory
        // The random part keeps a new session whose PID was reused from truncating an abandoned journal.
        self.path = directory + "/session-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).journal"
        self.pendingBase = base
    }

    /// The base for a model read from a workspace file just now.
    static func fileBase(_ path: String, model: ClusterModel) -> Base {
        var info = stat()
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard stat(path, &info) == 0 else { return .snapshot(model) }
        return .file(path: absolute, size: Int(info.st_size), modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec),
                     emptySlots: model.emptySlots)
    }

    // MARK: Writing

    /// Appends one command's changes durably.
    /// - Complexity: O(records the command changed) plus one `fdatasync`.
    func append(_ changes: ChangeSet, model: ClusterModel, command: String) {
        guard failure == nil else { return }
        do {
            guard let operations = try model.journalOperations(for: changes) else {
                // A whole-model replacement (an undone or redone `open`): a new base.
                try rebase(.snapshot(model))
                return
            }
            try openIfNeeded()
            var line = Data("{\"command\":".utf8) + (try JSONEncoder().encode(command)) + Data(",\"operations\":".utf8)
            line += operations + Data("}\n".utf8)
            try write(line)
            changeCount += 1
        } catch {
            fail(error)
        }
    }

    /// Starts over from a new base (after `save`, `open`, or a replacement); the lines so far
    /// are no longer needed. Written atomically: a crash leaves the old journal or the new one.
    func rebase(_ newBase: Base) throws {
        pendingBase = newBase
        changeCount = 0
        // Written at once, even before any change: a recovered or reopened model must survive
        // a crash that comes before the next command.
        guard descriptor >= 0 else { return try openIfNeeded() }
        let temporary = path + ".new"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ValleyError.file(path: temporary, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { close(fd); throw ValleyError.file(path: temporary, reason: "locked") }
        let old = descriptor
        descriptor = fd
        do {
            try write(try header())
            guard rename(temporary, path) == 0 else { throw ValleyError.file(path: path, reason: String(cString: strerror(errno))) }
            syncDirectory()
            close(old)
        } catch {
            close(fd)
            descriptor = old
            unlink(temporary)
            throw error
        }
    }

    /// Deletes the journal (a clean exit).
    func discard() {
        guard descriptor >= 0 else { return }
        unlink(path)
        unlink(path + ".new")  // left by a rebase that failed half-way
        close(descriptor)
        descriptor = -1
    }

    private func openIfNeeded() throws {
        guard descriptor < 0 else { return }
        try FileIO.ensureDirectory(directory)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ValleyError.file(path: path, reason: "cannot be written: \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { close(fd); throw ValleyError.file(path: path, reason: "is locked by another valley") }
        descriptor = fd
        try write(try header())
        syncDirectory()
    }

    private func header() throws -> Data {
        guard let base = pendingBase else { throw ValleyError.refused("internal: journal header without a base") }
        defer { pendingBase = nil }
        var line = Data("{\"valley-journal\":1,\"pid\":\(getpid()),\"started\":\(started),\"base\":".utf8)
        switch base {
        case let .snapshot(model):
            line += Data("{\"snapshot\":".utf8) + (try model.slotSnapshot()) + Data("}".utf8)
        case let .file(path, size, modified, emptySlots):
            line += Data("{\"file\":".utf8) + (try JSONEncoder().encode(path))
            line += Data(",\"size\":\(size),\"modified\":\(modified),\"emptySlots\":".utf8) + (try JSONEncoder().encode(emptySlots)) + Data("}".utf8)
        }
        return line + Data("}\n".utf8)
    }

    private func write(_ data: Data) throws {
        try FileIO.writeAll(Array(data), to: descriptor, name: path)
        guard fdatasync(descriptor) == 0 else { throw ValleyError.file(path: path, reason: "fdatasync failed: \(String(cString: strerror(errno)))") }
    }

    private func syncDirectory() {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    func failed(_ error: any Error) { fail(error) }

    /// Deletes the journal after a failed write: a journal that stopped part-way would offer,
    /// after the next crash, an old state as if it were the last.
    func abandonAfterFailure() { discard() }

    private func fail(_ error: any Error) {
        failure = ValleyError.describe(error)
    }

    // MARK: Finding and replaying

    /// A journal left by a session that did not end cleanly.
    struct Abandoned {
        let path: String
        let started: Int
        /// Complete change lines (a torn last line is not counted: its command never completed).
        let changes: Int
        let lastCommand: String?
    }

    /// Journals in `directory` that no live session holds, newest first.
    static func abandoned(in directory: String, excluding own: String? = nil) -> [Abandoned] {
        guard let stream = opendir(directory) else { return [] }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix("session-"), name.hasSuffix(".journal") { names.append(name) }
        }
        closedir(stream)
        var found: [Abandoned] = []
        for name in names {
            let path = directory + "/" + name
            guard path != own else { continue }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_SH | LOCK_NB) == 0 else { continue }  // its session is alive
            flock(fd, LOCK_UN)
            guard let summary = try? summarize(path) else { continue }
            found.append(summary)
        }
        return found.sorted { ($0.started, $0.path) > ($1.started, $1.path) }
    }

    /// The header's start time, the number of complete lines and the last command, read from
    /// the file in pieces: the lines are counted, not kept, and only the start of the first
    /// and of the last line is read (`header()` and `record` write both). A journal whose base
    /// is a snapshot has a first line as large as the model: decoding it to learn when the
    /// session started took 2.3 GB at every start while a 343 MB journal was abandoned.
    /// - Complexity: O(file size) time, O(1) memory.
    static func summarize(_ path: String) throws -> Abandoned {
        func bad() -> ValleyError { .badWorkspace(path: path, reason: "not a valley journal") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ValleyError.file(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var lines = 0
        var lineStart = 0, lastLineStart = 0
        var offset = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ValleyError.file(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
            }
            guard count > 0 else { break }
            buffer.withUnsafeBytes { bytes in
                var position = 0
                while position < count, let found = memchr(bytes.baseAddress! + position, 0x0A, count - position) {
                    let index = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
                    lines += 1
                    lastLineStart = lineStart
                    lineStart = offset + index + 1
                    position = index + 1
                }
            }
            offset += count
        }
        /// Up to `length` bytes of the file from `start`.
        func bytes(at start: Int, length: Int) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: length)
            let count = result.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(start)) }
            return Array(result.prefix(max(0, count)))
        }
        /// The digits after `key` at `position` in `text`, moving past them.
        func number(after key: String, in text: [UInt8], at position: inout Int) -> Int? {
            let key = Array(key.utf8)
            guard text.count >= position + key.count, Array(text[position..<position + key.count]) == key else { return nil }
            position += key.count
            var value = 0, digits = 0
            while position < text.count, (0x30...0x39).contains(text[position]), digits < 18 {
                value = value * 10 + Int(text[position] - 0x30)
                position += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        guard lines > 0 else { throw bad() }
        let head = bytes(at: 0, length: 256)
        var position = 0
        guard number(after: "{\"valley-journal\":", in: head, at: &position) == 1,
              number(after: ",\"pid\":", in: head, at: &position) != nil,
              let started = number(after: ",\"started\":", in: head, at: &position) else { throw bad() }
        var last: String?
        if lines > 1 {
            // `{"command":"…","operations":…`: the command's JSON string, decoded alone.
            let prefix = Array("{\"command\":\"".utf8)
            let start = bytes(at: lastLineStart, length: 65_536)
            if start.starts(with: prefix) {
                var end = prefix.count
                while end < start.count, start[end] != 0x22 { end += start[end] == 0x5C ? 2 : 1 }
                if end < start.count {
                    let literal = [0x5B] + start[prefix.count - 1...end] + [0x5D]  // ["…"]
                    last = (try? JSONDecoder().decodeChecked([String].self, from: Data(literal)))?.first
                }
            }
        }
        return Abandoned(path: path, started: started, changes: lines - 1, lastCommand: last)
    }

    /// Replays a journal: its base, then every complete line.
    static func replay(_ path: String, kinds: [any AnyRecordKind]) throws -> ClusterModel {
        let lines = try completeLines(path)
        guard let first = lines.first else { throw ValleyError.badWorkspace(path: path, reason: "empty journal") }
        let header: Header
        do { header = try JSONDecoder().decodeChecked(Header.self, from: first) } catch {
            throw ValleyError.badWorkspace(path: path, reason: "unreadable journal header")
        }
        var model: ClusterModel
        if header.base.hasSnapshot {
            do {
                guard let snapshot = try ClusterModel.fromJournalHeader(first, kinds: kinds) else { throw ValleyError.refused("no snapshot") }
                model = snapshot
            } catch {
                throw ValleyError.badWorkspace(path: path, reason: "the journal's base: \(ValleyError.describe(error))")
            }
        } else if let file = header.base.file, let size = header.base.size, let modified = header.base.modified {
            var info = stat()
            guard stat(file, &info) == 0 else { throw ValleyError.file(path: file, reason: "the session's workspace is gone; the journal cannot be replayed without it") }
            guard Int(info.st_size) == size, Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec) == modified else {
                throw ValleyError.file(path: file, reason: "changed since the session read it; the journal's changes apply to the file as it was")
            }
            model = try WorkspaceFile.load(from: file, kinds: kinds).model
            try model.insertEmptySlots(header.base.emptySlots ?? [:])
        } else {
            throw ValleyError.badWorkspace(path: path, reason: "the journal has no base")
        }
        for (number, line) in lines.dropFirst().enumerated() {
            do {
                try model.apply(try model.decodeJournalLine(line))
            } catch {
                throw ValleyError.located(file: path, line: number + 2, .refused(ValleyError.describe(error)))
            }
        }
        _ = model.takeChanges()
        return model
    }

    /// The lines that end in a newline (a line torn by a crash is dropped).
    static func completeLines(_ path: String) throws -> [Data] {
        let bytes = try FileIO.readBytes(path, limited: false)  // our own file: the user's read limit is not for it
        var lines: [Data] = []
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            lines.append(Data(bytes[start..<newline]))
            start = newline + 1
        }
        return lines
    }

    /// A command shown in a notice: one line, at most 60 characters.
    static func clip(_ command: String) -> String {
        let line = command.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count <= 60 ? line : String(line.prefix(57)) + "…"
    }

    /// A journal's start time for a message, e.g. `2026-11-24 05:12 UTC`.
    static func describeTime(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }

    // MARK: Line forms

    private struct Header: Decodable {
        struct Base: Decodable {
            var hasSnapshot = false
            var file: String?
            var size: Int?
            var modified: Int?
            var emptySlots: [String: [Int]]?

            enum Key: String, CodingKey { case snapshot, file, size, modified, emptySlots }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Key.self)
                hasSnapshot = container.contains(.snapshot)
                file = try container.decodeIfPresent(String.self, forKey: .file)
                size = try container.decodeIfPresent(Int.self, forKey: .size)
                modified = try container.decodeIfPresent(Int.self, forKey: .modified)
                emptySlots = try container.decodeIfPresent([String: [Int]].self, forKey: .emptySlots)
            }
        }
        var base: Base
    }
}

extension Session {
    /// Journals this session's changes in `directory`, as an interactive session does (for the
    /// command-sequence fuzzer, which runs sessions that are not on a terminal).
    @_spi(Testing) public func keepRecoveryJournal(in directory: String) {
        journal = RecoveryJournal(directory: directory, base: .snapshot(model))
    }

    /// What `recover` would restore from this session's journal now (nil: nothing written yet).
    @_spi(Testing) public func recoverableModel() throws -> ClusterModel? {
        guard let path = journal?.path, FileIO.entry(at: path) == .file else { return nil }
        return try RecoveryJournal.replay(path, kinds: kinds)
    }
}
