#if canImport(Glibc)
import Glibc
#endif
import ValleyCore

/// Shows long output through the user's pager, as psql and the DuckDB shell do: `$PAGER`, or
/// `less -FRX` (quit at the end of one screen, keep colours, leave the text on the screen),
/// run by `/bin/sh` with the text on its standard input.
enum Pager {
    /// The pager command line: `$PAGER` when set and not empty, else `less -FRX` when `less` is
    /// installed, else nil (no pager).
    static var command: String? {
        if let pager = ProcessEnvironment.value("PAGER"), !pager.trimmingSpaces.isEmpty { return pager }
        for directory in ["/usr/bin", "/bin", "/usr/local/bin"] where access(directory + "/less", X_OK) == 0 { return "less -FRX" }
        return nil
    }

    /// Runs the pager on `text` and waits for it; false when no pager could be started (then
    /// the caller writes the text itself). The pager quitting early (`q`) is not an error.
    static func page(_ text: String) -> Bool {
        guard let command else { return false }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return false }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, &argv, environ)
        close(pipeEnds[0])
        guard spawned == 0 else {
            close(pipeEnds[1])
            return false
        }
        // A pager that quits before reading everything closes the pipe: that must not end
        // the session (SIGPIPE), so it is ignored while writing.
        let previous = signal(SIGPIPE, SIG_IGN)
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(pipeEnds[1], $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { break }
            bytes = bytes.dropFirst(written)
        }
        close(pipeEnds[1])
        signal(SIGPIPE, previous)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // Ctrl-C in the pager reached the shell too (one process group): it only ended the pager.
        Interruption.reset()
        // 126/127: the shell could not run `$PAGER` (a typo, not executable): the caller writes
        // the text itself rather than lose it. (Exited normally: the low 7 bits are 0.)
        let exitCode = (status >> 8) & 0xFF
        if status & 0x7F == 0, exitCode == 126 || exitCode == 127 { return false }
        return true
    }
}
