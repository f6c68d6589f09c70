#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Reading text files with errors that name the place, and writing files atomically.
public enum FileIO {
    // MARK: - Reading

    /// What is at a path.
    public enum Entry: Sendable { case missing, file, directory }

    /// What is at `path` (following symbolic links).
    public static func entry(at path: String) -> Entry {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// The size of the file at `path` in bytes (0 when it cannot be read).
    public static func size(of path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Opens a file to read, with the errors every reader gives: missing, a directory, or
    /// unreadable (naming `name`, by default the path). The caller closes the descriptor.
    public static func openForReading(_ path: String, name: String? = nil) throws -> Int32 {
        let name = name ?? path
        switch entry(at: path) {
        case .missing: throw ValleyError.file(path: name, reason: "no such file")
        case .directory: throw ValleyError.file(path: name, reason: "is a directory, not a file")
        case .file: break
        }
        while true {
            // Opening a FIFO waits for a writer; Ctrl-C ends the wait (the handler has no SA_RESTART).
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd >= 0 { return fd }
            if errno == EINTR { try Interruption.check(); continue }
            throw ValleyError.file(path: name, reason: "cannot be read: \(String(cString: strerror(errno)))")
        }
    }

    /// The most bytes one reader takes from one file (or, for a stream, in one line): 1 GiB
    /// unless `set read-limit SIZE` changes it. `/dev/zero` or a runaway pipe is refused
    /// with its name and the limit instead of filling memory.
    public static var readLimit: Int {
        get { readLimitStorage.load(ordering: .relaxed) }
        set { readLimitStorage.store(newValue, ordering: .relaxed) }
    }
    private static let readLimitStorage = Atomic<Int>(1 << 30)

    /// The refusal for a file that goes past the read limit.
    public static func tooLarge(_ name: String) -> ValleyError {
        .file(path: name, reason: "is larger than the read limit of \(ByteCount.format(readLimit)); 'set read-limit SIZE' or 'valley --read-limit SIZE' raises it")
    }

    /// Reads up to `chunk.count` bytes into `chunk` (retrying after other signals); 0 at the end.
    /// Ctrl-C while waiting (a FIFO with no writer, a slow pipe) throws `ValleyError.interrupted`.
    public static func read(_ fd: Int32, into chunk: inout [UInt8], name: String) throws -> Int {
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return count }
            if errno != EINTR { throw ValleyError.file(path: name, reason: "cannot be read: \(String(cString: strerror(errno)))") }
            try Interruption.check()
        }
    }

    /// `read`, counting the bytes into `total` and refusing past the read limit.
    public static func read(_ fd: Int32, into chunk: inout [UInt8], name: String, total: inout Int) throws -> Int {
        let count = try read(fd, into: &chunk, name: name)
        total += count
        if total > readLimit { throw tooLarge(name) }
        return count
    }

    /// Reads a whole file's bytes (POSIX calls: this keeps the binary free of full Foundation,
    /// whose load time would double `valley`'s start-up).
    public static func readBytes(_ path: String, limited: Bool = true) throws -> [UInt8] {
        let fd = try openForReading(path)
        defer { close(fd) }
        return try readBytes(fd: fd, name: path, limited: limited)
    }

    /// Reads the rest of an open file or stream (`prefix`: bytes already taken from it).
    public static func readBytes(fd: Int32, name path: String, limited: Bool = true, prefix: [UInt8] = []) throws -> [UInt8] {
        var bytes = prefix
        // A small regular file is read with a buffer of its size (+1 to see the end): zeroing
        // 64 KB for each of the time zone files read at start-up was 5 % of `valley -c quit`.
        var info = stat()
        // (A size of 0 is also what /proc files report: they get the usual buffer.)
        let small = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0 && info.st_size < 1 << 16
        var chunk = [UInt8](repeating: 0, count: small ? Int(info.st_size) + 1 : 1 << 16)
        var total = prefix.count
        while true {
            let count = limited ? try read(fd, into: &chunk, name: path, total: &total) : try read(fd, into: &chunk, name: path)
            if count == 0 { return bytes }
            try Interruption.check()  // Ctrl-C cancels a long read (an atomic load per chunk)
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Checks that `path` is a readable file of valid UTF-8, naming the line of the first
    /// invalid byte, without holding the file in memory (scripts are checked whole before
    /// they run, then read line by line).
    public static func checkText(_ path: String) throws {
        let fd = try openForReading(path)
        defer { close(fd) }
        var pending: [UInt8] = []
        var line = 1
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        func check(_ bytes: ArraySlice<UInt8>) throws {
            if bytes.allSatisfy({ $0 < 0x80 }) || String(validating: bytes, as: UTF8.self) != nil { return }
            let body = line == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes
            if String(validating: body, as: UTF8.self) != nil { return }
            throw ValleyError.located(file: path, line: line, .invalidValue(field: "text", value: "…", expected: "valid UTF-8"))
        }
        while true {
            let count = try read(fd, into: &chunk, name: path, total: &total)
            if count == 0 { return try check(pending[...]) }
            // Only the new bytes can hold the next newline (a long line is scanned once).
            var searchFrom = pending.count
            pending.append(contentsOf: chunk[0..<count])
            var start = 0
            while let newline = pending[searchFrom...].firstIndex(of: 0x0A) {
                try check(pending[start..<newline])
                line += 1
                start = newline + 1
                searchFrom = start
            }
            pending.removeFirst(start)
        }
    }

    // MARK: - Atomic writing

    /// Writes `data` to `path` atomically (see `replaceAtomically`).
    public static func writeAtomically(_ data: some Collection<UInt8>, to path: String) throws {
        let bytes = Array(data)
        try replaceAtomically(path) { _, fd in try writeAll(bytes, to: fd, name: path) }
    }

    /// Writes `parts` one after the other as the file at `path`, atomically (see
    /// `replaceAtomically`), without joining them first.
    public static func writeAtomically(parts: [[UInt8]], to path: String) throws {
        try replaceAtomically(path) { _, fd in
            for part in parts { try writeAll(part, to: fd, name: path) }
        }
    }

    /// Writes the parts `write` hands to its argument, in order, as the file at `path`,
    /// atomically (see `replaceAtomically`). Each part is written as it comes and, every 16 MB,
    /// handed to the disk (`fdatasync`) while the caller makes the next parts: a 120 MB export
    /// otherwise waited a quarter of a second in the final fsync.
    public static func writeAtomically(to path: String, streaming write: (_ append: ([UInt8]) throws -> Void) throws -> Void) throws {
        try replaceAtomically(path) { _, fd in
            var unsynced = 0
            try write { part in
                try writeAll(part, to: fd, name: path)
                unsynced += part.count
                if unsynced >= 16 << 20 {
                    fdatasync(fd)  // early write-back only: the final fsync is the one checked
                    unsynced = 0
                }
            }
        }
    }

    /// Replaces the file at `path` atomically with what `write` puts in a temporary file beside
    /// it: fsync, rename, fsync of the directory. Readers see the old file or the new one, never
    /// a part, and a crash at any moment leaves one of the two.
    ///
    /// An existing file keeps its permission bits (a 0600 workspace stays 0600); a new one gets
    /// 0666 less the umask, as any tool's (the temporary file is 0600 until then). A symbolic link is written through: its target is
    /// replaced and the link stays. A target that is not a regular file (a directory, a FIFO,
    /// a device, a socket) is refused before anything is written.
    ///
    /// - Parameter write: gets the temporary file's path and an open descriptor of it (empty,
    ///   created for this call); it may write through either (SQLite opens the path).
    public static func replaceAtomically(_ path: String, write: (_ temporaryPath: String, _ fd: Int32) throws -> Void) throws {
        let target = try resolvedTarget(path)
        var info = stat()
        var mode: mode_t?
        if stat(target, &info) == 0 {
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG else { throw ValleyError.file(path: path, reason: "is \(describe(fileType: type)), not a regular file; nothing was written") }
            mode = info.st_mode & 0o7777
        }
        let url = URL(fileURLWithPath: target)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/" + temporaryPrefix(for: url.lastPathComponent) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // Private while it is written: a 0600 workspace must not be readable by others for the
        // length of a save. It gets its final mode before the rename.
        let fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ValleyError.file(path: path, reason: "cannot be written: \(String(cString: strerror(errno)))") }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do {
            try write(temporary, fd)
            if fchmod(fd, mode ?? newFileMode()) != 0 {
                throw ValleyError.file(path: path, reason: "cannot keep its permissions: \(String(cString: strerror(errno)))")
            }
            guard fsync(fd) == 0 else { throw ValleyError.file(path: path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
            close(fd)
            closed = true
            guard rename(temporary, target) == 0 else {
                throw ValleyError.file(path: path, reason: "cannot be replaced: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
        removeAbandonedTemporaries(of: url.lastPathComponent, in: directory)
    }

    /// The mode of a new file: 0666 less the process's umask, as `open` would give it.
    static func newFileMode() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return 0o666 & ~mask
    }

    /// The file a write to `path` replaces: `path` itself, or the end of its chain of symbolic
    /// links (which need not exist yet: a dangling link is written through too).
    static func resolvedTarget(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {  // SYMLOOP_MAX on Linux
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length > 0 else { return current }
            let link = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : URL(fileURLWithPath: current).deletingLastPathComponent().path + "/" + link
        }
        throw ValleyError.file(path: path, reason: "has too many levels of symbolic links")
    }

    /// "a directory", "a FIFO", … for a `stat` file type.
    public static func describe(fileType type: mode_t) -> String {
        switch type {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    /// Writes every byte to `fd` (retrying short writes and signals); errors name `name`.
    public static func writeAll(_ bytes: [UInt8], to fd: Int32, name: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw ValleyError.file(path: name, reason: "write failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// The prefix of the temporary files `writeAtomically` makes for a file named `name`.
    static func temporaryPrefix(for name: String) -> String { "." + name + ".tmp-" }

    /// Deletes temporary files that earlier writers of the same file left behind when they were
    /// killed between creating and renaming them (`.NAME.tmp-PID-N` whose process is gone).
    /// A temporary of a live process (or of a PID now reused) is kept: deleting it could only
    /// make that writer's save fail, so when in doubt nothing is removed.
    static func removeAbandonedTemporaries(of name: String, in directory: String) {
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        let prefix = temporaryPrefix(for: name)
        var abandoned: [String] = []
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix) else { continue }
            let fields = entryName.dropFirst(prefix.count).split(separator: "-")
            guard fields.count == 2, let pid = pid_t(fields[0]), UInt32(fields[1]) != nil, pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { abandoned.append(entryName) }
        }
        for entryName in abandoned { unlink(directory + "/" + entryName) }
    }

    /// Creates a directory and its parents if missing.
    public static func ensureDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ValleyError.file(path: path, reason: "cannot create directory")
        }
    }
}
