#if canImport(Glibc)
import Glibc
#endif
import ValleyCore

/// A running plugin executable and its two pipes: the host writes lines to its stdin and
/// reads lines from its stdout; its stderr is the host's (for the plugin's own diagnostics).
///
/// It runs in its own process group, so the terminal's Ctrl-C reaches the host only, which
/// then sends the plugin a `cancel` and ends it after a grace period. Every wait is bounded.
///
/// `@unchecked Sendable`: a process is used by one thread at a time. The main thread uses it
/// during a call; `ConnectionPool` hands it out and takes it back under its lock, and its idle
/// timer stops only processes that are checked in.
final class PluginProcess: @unchecked Sendable {
    let pid: pid_t
    private var input: Int32
    private let output: Int32
    /// Bytes read and not yet returned start at `start`; no newline is before `scanned`.
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private(set) var exitStatus: String?
    /// How messages name the plugin: its file name until its handshake, then its namespace.
    var name: String

    /// The longest line the host reads (a change set of 100k records fits easily).
    static let lineLimit = 1 << 30

    /// Starts `path` with no arguments.
    /// - Throws: `PluginError.notRunnable` when it cannot be started.
    init(path: String, name: String) throws {
        self.name = name
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw PluginError.notRunnable(path: path, reason: String(cString: strerror(errno))) }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw PluginError.notRunnable(path: path, reason: String(cString: strerror(errno)))
        }
        // The host's ends must not leak into the child (it would never see end of input).
        _ = fcntl(toChild[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fromChild[0], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addclose(&actions, toChild[0])
        posix_spawn_file_actions_addclose(&actions, fromChild[1])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        defer { for argument in arguments { free(argument) } }
        let status = posix_spawn(&child, path, &actions, &attributes, arguments, environ)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw PluginError.notRunnable(path: path, reason: String(cString: strerror(status)))
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
        Self.ignoreBrokenPipes
    }

    deinit { stop(grace: 0) }

    /// A write to a plugin that has ended fails with EPIPE instead of ending the host.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    var isRunning: Bool { exitStatus == nil && input >= 0 }

    // MARK: Writing and reading

    /// Writes all of `bytes`, waiting at most `timeout` seconds for the plugin to take each part.
    func write(_ bytes: [UInt8], timeout: Double) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(input, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 { offset += written; continue }
                if written < 0, errno == EINTR { continue }
                if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    try wait(for: input, events: Int16(POLLOUT), timeout: timeout)
                    continue
                }
                throw ended()
            }
        }
    }

    /// The next line the plugin writes (without its newline), waiting at most `timeout`
    /// seconds for each part of it. `onInterrupt` is called when Ctrl-C is pressed while waiting.
    /// - Complexity: O(line length), amortised: each byte is read, scanned and moved at most once.
    func readLine(timeout: Double, onInterrupt: (() throws -> Void)? = nil) throws -> [UInt8] {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                scanned = start
                return line
            }
            scanned = buffer.count
            guard buffer.count - start < Self.lineLimit else { throw PluginError.protocolViolation(plugin: name, detail: "a line longer than 1 GiB") }
            if start > 0, start * 2 >= buffer.count {
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
            try wait(for: output, events: Int16(POLLIN), timeout: timeout, onInterrupt: onInterrupt)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress!, $0.count) }
            if count > 0 { buffer.append(contentsOf: chunk[..<count]); continue }
            if count < 0, errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
            throw ended()
        }
    }

    /// Waits until `fd` is ready, in slices of 50 ms so that Ctrl-C is seen.
    private func wait(for fd: Int32, events: Int16, timeout: Double, onInterrupt: (() throws -> Void)? = nil) throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while true {
            if Interruption.isRequested, let onInterrupt {
                try onInterrupt()
            }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, 50)
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw ended() }
            if ContinuousClock.now >= deadline {
                stop(grace: 0)
                throw PluginError.timedOut(plugin: name, seconds: timeout)
            }
        }
    }

    /// The error for a plugin whose pipe closed: it ended, with its status.
    private func ended() -> PluginError {
        stop(grace: 0.5)
        return .crashed(plugin: name, status: exitStatus ?? "it closed its output")
    }

    // MARK: Ending

    /// Closes the plugin's input (its cue to exit), waits up to `grace` seconds, then kills it.
    func stop(grace: Double) {
        if input >= 0 { close(input); input = -1 }
        guard exitStatus == nil else { return }
        let deadline = ContinuousClock.now + .milliseconds(Int64(grace * 1000))
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 { exitStatus = "gone"; close(output); return }
            if ContinuousClock.now >= deadline {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(5_000)
        }
        close(output)
        let signalNumber = status & 0x7F
        if signalNumber == 0 {
            exitStatus = "exit status \((status >> 8) & 0xFF)"
        } else {
            exitStatus = "killed by signal \(signalNumber)" + (signalNumber == SIGKILL ? " (SIGKILL)" : signalNumber == SIGSEGV ? " (SIGSEGV)" : signalNumber == SIGABRT ? " (SIGABRT)" : "")
        }
    }
}
