import Foundation

/// The built `valley` binary, run as a user would run it.
enum ValleyProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary beside the test bundle (`swift test` builds it first).
    static var binary: String {
        let testBundle = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? CommandLine.arguments[0])
        return testBundle.deletingLastPathComponent().appendingPathComponent("valley").path
    }

    /// The package root (for `Examples/`).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `valley` with the arguments and stdin, in `directory`, with a private state/config home.
    static func run(_ arguments: [String], stdin: String? = nil, directory: String? = nil,
                    executable: String = binary, environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        let home = NSTemporaryDirectory() + "valley-home-\(UUID().uuidString)"
        environment["XDG_STATE_HOME"] = home + "/state"
        environment["XDG_CONFIG_HOME"] = home + "/config"
        environment["HOME"] = home
        environment.merge(extra) { $1 }
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        let error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "valley-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `valley` with stdio on /dev/null and returns its exit status and peak resident
    /// memory in KB: the largest `VmHWM` of /proc/PID/status, polled every 5 ms. (`wait4`'s
    /// `ru_maxrss` cannot be used: a posix_spawn child shares the test process's memory until
    /// it execs, and Linux carries that high-water mark over.) Under AddressSanitizer the
    /// freed-memory quarantine is off for the child, so its peak is what it keeps.
    static func peakMemory(_ arguments: [String]) throws -> (status: Int32, kilobytes: Int) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        var environment = ProcessInfo.processInfo.environment
        environment["ASAN_OPTIONS"] = (environment["ASAN_OPTIONS"].map { $0 + ":" } ?? "") + "quarantine_size_mb=0"
        var cArguments = ([binary] + arguments).map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot start valley (\(spawned))"]) }
        var status: Int32 = 0
        var peak = 0
        let statusFile = "/proc/\(pid)/status"
        while true {
            // The first reads may still see the spawner's image; VmHWM is reset by the exec.
            let text = String(decoding: FileManager.default.contents(atPath: statusFile) ?? Data(), as: UTF8.self)
            if text.hasPrefix("Name:\tvalley\n"),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") {
                peak = max(peak, kilobytes)
            }
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno != EINTR) { break }
            usleep(5_000)
        }
        return ((status >> 8) & 0xFF, peak)
    }
}
