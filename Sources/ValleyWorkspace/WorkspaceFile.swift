#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ValleyCore

/// The two forms of a workspace file.
public enum WorkspaceFormat: String, CaseIterable, Sendable {
    /// A SQLite database, one table per record kind: the form `save` writes.
    case sqlite
    /// The JSON envelope: for interchange (`save --format json`).
    case json

    /// The form a file name suggests when none is given: `.json` is JSON, anything else SQLite.
    public init(forPath path: String) {
        self = path.lowercased().hasSuffix(".json") ? .json : .sqlite
    }
}

/// Saving and opening workspace files in either form: the one place that decides the format.
public enum WorkspaceFile {
    /// Writes `model` to `path` in `format`, atomically (the file is the old workspace or the
    /// new one at every moment), keeping an existing file's permissions and writing through a
    /// symbolic link; a target that is not a regular file is refused.
    public static func save(_ model: ClusterModel, to path: String, format: WorkspaceFormat) throws {
        switch format {
        case .sqlite: try SQLiteWorkspace.save(model, to: path)
        case .json: try Workspace.save(model, to: path)
        }
    }

    /// Reads the workspace at `path`, whichever its form, through the kinds' validation. A
    /// stream (a pipe, `<(zcat w.json.gz)`) is read as JSON; the SQLite form must be a file.
    public static func load(from path: String, kinds: [any AnyRecordKind]) throws -> Workspace.Loaded {
        let fd = try FileIO.openForReading(path)
        defer { close(fd) }
        var info = stat()
        let isFile = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        let head = try readHead(fd, path: path)
        if form(of: head) == .sqlite {
            guard isFile else {
                throw ValleyError.file(path: path, reason: "is \(FileIO.describe(fileType: info.st_mode & S_IFMT)), not a regular file; a SQLite workspace must be a file")
            }
            return try SQLiteWorkspace.load(from: path, kinds: kinds)
        }
        let bytes = try FileIO.readBytes(fd: fd, name: path, prefix: head)
        return try Workspace.decode(Data(bytes), path: path, kinds: kinds)
    }

    /// The form of the file at `path`, from its first bytes: SQLite's header, else JSON.
    public static func format(of path: String) throws -> WorkspaceFormat {
        let fd = try FileIO.openForReading(path)
        defer { close(fd) }
        return form(of: try readHead(fd, path: path))
    }

    /// The form whose first bytes these are.
    static func form(of head: [UInt8]) -> WorkspaceFormat { head == SQLiteWorkspace.magic ? .sqlite : .json }

    /// Up to the length of SQLite's header from the start of `fd` (less only at the end of the
    /// file; a pipe may give them in pieces). An empty file is refused.
    static func readHead(_ fd: Int32, path: String) throws -> [UInt8] {
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: SQLiteWorkspace.magic.count)
        while head.count < SQLiteWorkspace.magic.count {
            chunk.removeLast(chunk.count - (SQLiteWorkspace.magic.count - head.count))
            let got = try FileIO.read(fd, into: &chunk, name: path)
            if got == 0 { break }
            head += chunk[0..<got]
        }
        if head.isEmpty { throw ValleyError.badWorkspace(path: path, reason: "the file is empty") }
        return head
    }
}
