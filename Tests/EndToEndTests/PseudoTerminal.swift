import Foundation
import XCTest

/// `valley` on a pseudo-terminal of its own, so it runs interactively (libedit, history file)
/// without tmux: the test types into the master side and reads what the shell prints.
/// Started with posix_spawn, like the tmux client, rather than Foundation's `Process`.
final class PseudoTerminal {
    let pid: pid_t
    private let master: Int32
    private(set) var output: [UInt8] = []

    /// Starts `valley` with `arguments` on a new terminal, with `environment` added to ours.
    init(arguments: [String], environment: [String: String]) throws {
        // posix_openpt/grantpt/unlockpt/ptsname are not visible from Swift's Glibc module;
        // these are the Linux calls they wrap (TIOCSPTLCK and TIOCGPTN are `_IOW`/`_IOR` macros
        // Swift cannot import; the values are those of x86-64 and arm64 Linux).
        let setLock: UInt = 0x4004_5431, getNumber: UInt = 0x8004_5430
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0, number: UInt32 = 0
        guard master >= 0, ioctl(master, setLock, &unlock) == 0, ioctl(master, getNumber, &number) == 0 else {
            throw XCTSkip("no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let slavePath = "/dev/pts/\(number)"
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        let argv = [ValleyProcess.binary] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, ValleyProcess.binary, &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else {
            close(master)
            throw XCTSkip("valley cannot be started on a terminal (\(spawned))")
        }
        pid = child
    }

    deinit { close(master) }

    /// Types `text` (use `\r` for Enter).
    func type(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if written > 0 { bytes = bytes.dropFirst(written) } else { drain(); usleep(1_000) }
        }
    }

    /// Reads whatever the shell has printed so far (so it never blocks on a full terminal).
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            output += buffer[0..<count]
        }
    }

    /// Sleeps `seconds` while draining the output.
    func wait(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            drain()
            usleep(useconds_t(max(0, min(2_000, deadline.timeIntervalSinceNow * 1_000_000))))
        }
    }

    /// Waits for the shell to exit and returns its wait status.
    @discardableResult
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while true {
            drain()
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return status }
            if result < 0, errno != EINTR { return status }
            usleep(2_000)
        }
    }
}
