// valley-bench: times valley beside sqlite3 in the same run and prints the ratios.
//
//   swift build -c release --product valley && swift run -c release valley-bench [--runs N] [--lines N]
//
// 1. Start-up: `valley --no-rc -c quit` (built-in data loaded) against `sqlite3 :memory: .quit`.
// 2. Throughput: a script of N cheap commands against sqlite3 `.read` of N INSERTs.
// Runs alternate between the two programs so drift on a shared machine hits both alike.

import Foundation

struct Options {
    var runs = 30
    var lines = 100_000
    var valley: String

    init() {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        valley = here.appendingPathComponent("valley").path
        var arguments = CommandLine.arguments.dropFirst()
        while let flag = arguments.popFirst() {
            switch flag {
            case "--runs": runs = Int(arguments.popFirst() ?? "") ?? runs
            case "--lines": lines = Int(arguments.popFirst() ?? "") ?? lines
            case "--valley": valley = arguments.popFirst() ?? valley
            default:
                FileHandle.standardError.write(Data("usage: valley-bench [--runs N] [--lines N] [--valley PATH]\n".utf8))
                exit(64)
            }
        }
    }
}

/// Runs a program to completion with stdout and stderr discarded; returns seconds elapsed.
/// posix_spawn and waitpid, not Foundation's `Process`, whose exit monitoring adds tens of
/// milliseconds on Linux and would swamp a start-up time.
func timed(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> Double {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, executable, &actions, nil, &argv, environ) == 0 else {
        throw NSError(domain: "valley-bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable)"])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard status == 0 else {
        throw NSError(domain: "valley-bench", code: Int(status),
                      userInfo: [NSLocalizedDescriptionKey: "\(executable) \(arguments.joined(separator: " ")) failed (status \(status))"])
    }
    return elapsed
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func spread(_ values: [Double]) -> String {
    let sorted = values.sorted()
    return String(format: "%.1f–%.1f ms", sorted.first! * 1000, sorted.last! * 1000)
}

let options = Options()
let sqlite = "/usr/bin/sqlite3"
guard FileManager.default.isExecutableFile(atPath: options.valley) else {
    print("valley not found at \(options.valley); build it first: swift build -c release --product valley")
    exit(66)
}
guard FileManager.default.isExecutableFile(atPath: sqlite) else {
    print("sqlite3 not found at \(sqlite); apt-get install -y sqlite3")
    exit(66)
}

// MARK: - Start-up

var valleyStart: [Double] = []
var sqliteStart: [Double] = []
for _ in 0..<options.runs {
    valleyStart.append(try timed(options.valley, ["--no-rc", "-c", "quit"]))
    sqliteStart.append(try timed(sqlite, [":memory:", ".quit"]))
}
let startRatio = median(valleyStart) / median(sqliteStart)
print("start-up (median of \(options.runs) alternating runs)")
print(String(format: "  valley -c quit          %7.2f ms  (%@)", median(valleyStart) * 1000, spread(valleyStart)))
print(String(format: "  sqlite3 :memory: .quit  %7.2f ms  (%@)", median(sqliteStart) * 1000, spread(sqliteStart)))
print(String(format: "  ratio valley/sqlite3    %7.2f×   (goal ≤ 2×)", startRatio))

// MARK: - Throughput

let directory = NSTemporaryDirectory() + "valley-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

let scripts: [(name: String, line: (Int) -> String)] = [
    ("set var (a built-in)", { "set var i \($0)" }),
    ("registry list --limit 0 (a plugin command)", { _ in "registry list --limit 0" }),
]
let sqlPath = directory + "/inserts.sql"
var sql = "CREATE TABLE t(i INTEGER, name TEXT);\n"
for i in 0..<options.lines { sql += "INSERT INTO t VALUES(\(i), 'enterprise \(i)');\n" }
try sql.write(toFile: sqlPath, atomically: true, encoding: .utf8)

let rounds = 3
var sqliteTimes: [Double] = []
print("\nthroughput: \(options.lines) commands (median of \(rounds) alternating runs)")
for script in scripts {
    let path = directory + "/script.valley"
    var text = ""
    for i in 0..<options.lines { text += script.line(i) + "\n" }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    var valleyTimes: [Double] = []
    for _ in 0..<rounds {
        valleyTimes.append(try timed(options.valley, ["--no-rc", path]))
        sqliteTimes.append(try timed(sqlite, [":memory:"], stdin: sqlPath))
    }
    let valleyRate = Double(options.lines) / median(valleyTimes)
    let sqliteRate = Double(options.lines) / median(sqliteTimes)
    print(String(format: "  valley %@: %9.0f commands/s", script.name, valleyRate))
    print(String(format: "  sqlite3 .read of INSERTs:%@ %9.0f statements/s", String(repeating: " ", count: max(0, script.name.count - 18)), sqliteRate))
    print(String(format: "  ratio valley/sqlite3 rate: %.2f   (floor 10,000/s: %@)", valleyRate / sqliteRate, valleyRate >= 10_000 ? "met" : "NOT met"))
}
