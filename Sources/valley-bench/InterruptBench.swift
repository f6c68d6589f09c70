import Foundation

/// Ctrl-C during a 1,000,000-row import: time from SIGINT to the process's exit (status 130).
func runInterruptBenchmark(_ options: Options, rows: Int) throws {
    let directory = NSTemporaryDirectory() + "valley-interrupt-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let csv = directory + "/registry.csv"
    var generator = RegistryGenerator(seed: 2011)
    try generator.write(rows: rows, to: csv)
    var latencies: [Double] = []
    for trial in 0..<7 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let words: [String] = [options.valleyPath, "--no-rc", "-c", "registry import \(csv)"]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, options.valleyPath, &actions, nil, &argv, environ) == 0 else { throw ValidationFailure("cannot start valley") }
        usleep(useconds_t(600_000 + trial * 150_000))
        let sent = DispatchTime.now().uptimeNanoseconds
        kill(pid, SIGINT)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exitCode = (status >> 8) & 0xFF
        guard exitCode == 130 else { throw ValidationFailure("valley exited \(exitCode), not 130 (did the import finish first?)") }
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e6)
    }
    latencies.sort()
    print(String(format: "Ctrl-C during a %d-row import: exit 130 after median %.0f ms, max %.0f ms over %d trials (goal ≤ 100 ms)",
                 rows, latencies[latencies.count / 2], latencies.last!, latencies.count))
    print("  (the time includes the process's exit with the half-built registry in memory)")
}

struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
