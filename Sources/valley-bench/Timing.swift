#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs a program to completion with stdout and stderr discarded; returns seconds elapsed.
/// posix_spawn and waitpid, not Foundation's `Process`, whose exit monitoring adds tens of
/// milliseconds on Linux and would swamp a start-up time.
func timed(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> Double {
    try measured(executable, arguments, stdin: stdin).seconds
}

/// Runs a program; returns seconds elapsed and its peak resident memory in bytes.
///
/// The peak is the kernel's (`ru_maxrss`), and Linux starts a spawned program's at the
/// spawner's own peak (recorded from the address space it replaces at `exec`): a peak of the
/// program below this process's own is not seen. So the program is started by a fresh
/// `valley-bench measure-child` (a few MB), which times it and reads its peak: a bench that
/// holds a million-row model itself (`workspace`) then still sees a smaller peak of valley's.
func measured(_ executable: String, _ arguments: [String], stdin: String? = nil, stdout: String = "/dev/null",
              allowFailure: Bool = false) throws -> (seconds: Double, peakBytes: Int) {
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("valley-bench-child-\(getpid())").path
    defer { unlink(report) }
    let bench = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    _ = try spawned(bench, ["measure-child", report, executable] + arguments, stdin: stdin, stdout: stdout, allowFailure: allowFailure)
    let fields = try String(contentsOfFile: report, encoding: .utf8).split(separator: " ")
    guard fields.count == 2, let seconds = Double(fields[0]), let peak = Int(fields[1]) else {
        throw NSError(domain: "valley-bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "measure-child wrote no figures for \(executable)"])
    }
    return (seconds, peak)
}

/// Runs a program directly; seconds elapsed and its peak as the kernel gives it (which starts
/// at this process's own peak: see `measured`).
func spawned(_ executable: String, _ arguments: [String], stdin: String? = nil, stdout: String = "/dev/null",
             allowFailure: Bool = false, inheritOutput: Bool = false) throws -> (seconds: Double, peakBytes: Int, status: Int32) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if !inheritOutput {
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    }
    var argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, executable, &actions, nil, &argv, environ) == 0 else {
        throw NSError(domain: "valley-bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable)"])
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard status == 0 || allowFailure else {
        throw NSError(domain: "valley-bench", code: Int(status),
                      userInfo: [NSLocalizedDescriptionKey: "\(executable) \(arguments.joined(separator: " ")) failed (status \(status))"])
    }
    return (elapsed, usage.ru_maxrss * 1024, status)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func spread(_ values: [Double]) -> String {
    let sorted = values.sorted()
    return String(format: "%.1f–%.1f ms", sorted.first! * 1000, sorted.last! * 1000)
}


/// The `time: N ms` lines valley prints under `set timer on`, in milliseconds, in order.
func timerLines(_ path: String) throws -> [Double] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        .filter { $0.hasPrefix("time: ") }.compactMap { Double($0.dropFirst(6).split(separator: " ")[0]) }
}

/// Runs a DuckDB script with python3 and reads the `NAME VALUE` lines it prints; empty when
/// python3 or duckdb is missing (`pip install duckdb`).
func duckDBFigures(script: String, output: String) -> [String: Double] {
    guard (try? measured("/usr/bin/env", ["python3", script], stdout: output)) != nil,
          let text = try? String(contentsOfFile: output, encoding: .utf8) else { return [:] }
    var figures: [String: Double] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 2, let value = Double(parts[1]) { figures[String(parts[0])] = value }
    }
    return figures
}
