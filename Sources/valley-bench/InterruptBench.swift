import Foundation
import ValleyCore

/// Ctrl-C during two long commands — a 1,000,000-row import and a week sweep (5-minute steps)
/// over a 20,000-leg timetabled route — timed from SIGINT to the process's exit (status 130).
func runInterruptBenchmark(_ options: Options, rows: Int) throws {
    let (directory, csv) = try syntheticRegistry(bench: "interrupt", rows: rows)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let imports = try interruptLatencies(options, commands: ["registry import \(csv)"], firstDelay: 0.6)
    print(String(format: "Ctrl-C during a %d-row import: exit 130 after median %.0f ms, max %.0f ms over %d trials (goal ≤ 100 ms)",
                 rows, median(imports), imports.max()!, imports.count))

    let workspace = directory + "/long-route.json"
    try Workspace.save(longRouteModel(legs: 20_000), to: workspace)
    let sweep = "logistics sweep long --cargo car-t-product-cryo --week-of 2025-03-03 --step 5m"
    let sweeps = try interruptLatencies(options, commands: ["open \(workspace)", sweep], firstDelay: 0.5)
    print(String(format: "Ctrl-C during a week sweep (2,016 departures × 20,000 legs): exit 130 after median %.0f ms, max %.0f ms over %d trials (goal ≤ 100 ms)",
                 median(sweeps), sweeps.max()!, sweeps.count))
    print("  (the times include the process's exit with the half-done work in memory)")
}

/// Starts `valley -c …` seven times, sends SIGINT after `firstDelay` (+150 ms a trial), and
/// returns the milliseconds from the signal to the exit; the exit status must be 130.
private func interruptLatencies(_ options: Options, commands: [String], firstDelay: Double) throws -> [Double] {
    var latencies: [Double] = []
    for trial in 0..<7 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let words: [String] = [options.valleyPath, "--no-rc"] + commands.flatMap { ["-c", $0] }
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, options.valleyPath, &actions, nil, &argv, environ) == 0 else { throw ValidationFailure("cannot start valley") }
        usleep(useconds_t((firstDelay + Double(trial) * 0.15) * 1_000_000))
        let sent = DispatchTime.now().uptimeNanoseconds
        kill(pid, SIGINT)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exitCode = (status >> 8) & 0xFF
        guard exitCode == 130 else { throw ValidationFailure("valley exited \(exitCode), not 130 (did the command finish first?)") }
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e6)
    }
    return latencies
}

struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
