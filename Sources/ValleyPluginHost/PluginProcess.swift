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
    private var outputClosed = false
    private(set) var exitStatus: String?
    /// How messages name the plugin: its file name until its handshake, then its namespace.
    var name: String

    /// The longest line the host reads (a change set of 100k records fits easily; a plugin
    /// cannot make the host hold more than this of one message).
    static let lineLimit = 256 << 20

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

    /// True while the process runs (a process that ended on its own is reaped here, so that
    /// it is neither handed out again nor left a zombie).
    var isRunning: Bool {
        guard exitStatus == nil, input >= 0 else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            record(status)
            close(input)
            input = -1
            close(output)
            outputClosed = true
            return false
        }
        return true
    }

    // MARK: Writing and reading

    /// Writes all of `bytes`; the plugin must take them within `timeout` seconds (it is
    /// reading its input). `onInterrupt` is called when Ctrl-C is pressed while waiting.
    func write(_ bytes: [UInt8], timeout: Double, onInterrupt: (() throws -> Void)? = nil) throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(input, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 { offset += written; continue }
                if written < 0, errno == EINTR { continue }
                if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    try wait(for: input, events: Int16(POLLOUT), until: deadline, onInterrupt: onInterrupt) {
                        PluginError.notReading(plugin: self.name, seconds: timeout)
                    }
                    continue
                }
                throw ended()
            }
        }
    }

    /// The next line the plugin writes (without its newline); the whole line must come within
    /// `timeout` seconds (a plugin dribbling bytes without finishing a message times out).
    /// `onInterrupt` is called when Ctrl-C is pressed while waiting.
    /// - Complexity: O(line length), amortised: each byte is read, scanned and moved at most once.
    func readLine(timeout: Double, onInterrupt: (() throws -> Void)? = nil) throws -> [UInt8] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                scanned = start
                return line
            }
            scanned = buffer.count
            guard buffer.count - start < Self.lineLimit else {
                stop(grace: 0)
                throw PluginError.protocolViolation(plugin: name, detail: "a line longer than \(Self.lineLimit >> 20) MiB")
            }
            if start > 0, start * 2 >= buffer.count {
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
            try wait(for: output, events: Int16(POLLIN), until: deadline, onInterrupt: onInterrupt) {
                PluginError.timedOut(plugin: self.name, seconds: timeout)
            }
            let count = chunk.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress!, $0.count) }
            if count > 0 { buffer.append(contentsOf: chunk[..<count]); continue }
            if count < 0, errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
            throw ended()
        }
    }

    /// Waits until `fd` is ready, in slices of 50 ms so that Ctrl-C is seen; past `deadline`
    /// the plugin is ended and `expired()` thrown.
    private func wait(for fd: Int32, events: Int16, until deadline: ContinuousClock.Instant,
                      onInterrupt: (() throws -> Void)?, expired: () -> PluginError) throws {
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
                throw expired()
            }
        }
    }

    /// Waits up to `grace` seconds for the plugin to exit on its own (after `cancel`), its
    /// input left open so that it can finish what it was doing.
    func awaitExit(grace: Double) {
        let deadline = ContinuousClock.now + .milliseconds(Int64(grace * 1000))
        while exitStatus == nil, ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { record(status); break }
            usleep(5_000)
        }
    }

    /// The error for a plugin whose pipe closed: it ended, with its status.
    private func ended() -> PluginError {
        stop(grace: 0.5)
        return .crashed(plugin: name, status: exitStatus ?? "it closed its output")
    }

    // MARK: Ending

    /// Closes the plugin's input (its cue to exit), waits up to `grace` seconds, then kills
    /// it; whatever it started in its process group goes too.
    func stop(grace: Double) {
        if input >= 0 { close(input); input = -1 }
        if exitStatus == nil {
            let deadline = ContinuousClock.now + .milliseconds(Int64(grace * 1000))
            var status: Int32 = 0
            while true {
                let reaped = waitpid(pid, &status, WNOHANG)
                if reaped == pid { record(status); break }
                if reaped < 0, errno != EINTR { exitStatus = "gone"; break }
                if ContinuousClock.now >= deadline {
                    kill(pid, SIGKILL)
                    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                    record(status)
                    break
                }
                usleep(5_000)
            }
        }
        if !outputClosed { close(output); outputClosed = true }
        kill(-pid, SIGKILL)  // what the plugin started in its process group (ESRCH when nothing)
    }

    private func record(_ status: Int32) {
        guard exitStatus == nil else { return }
        let signalNumber = status & 0x7F
        if signalNumber == 0 {
            exitStatus = "exit status \((status >> 8) & 0xFF)"
        } else {
            let names: [Int32: String] = [SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGTERM: "SIGTERM", SIGBUS: "SIGBUS", SIGILL: "SIGILL"]
            exitStatus = "killed by signal \(signalNumber)" + (names[signalNumber].map { " (\($0))" } ?? "")
        }
    }
}
