import Foundation

/// Start-up and command throughput of `valley` against sqlite3.
func runShellBenchmark(_ options: Options) throws {
    let sqlite = options.sqlite
    // MARK: - Start-up

    var valleyStart: [Double] = []
    var sqliteStart: [Double] = []
    for _ in 0..<options.runs {
        valleyStart.append(try timed(options.valleyPath, ["--no-rc", "-c", "quit"]))
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
    for i in 0..<(options.lines ?? 100_000) { sql += "INSERT INTO t VALUES(\(i), 'enterprise \(i)');\n" }
    try sql.write(toFile: sqlPath, atomically: true, encoding: .utf8)

    let rounds = 3
    var sqliteTimes: [Double] = []
    print("\nthroughput: \((options.lines ?? 100_000)) commands (median of \(rounds) alternating runs)")
    for script in scripts {
        let path = directory + "/script.valley"
        var text = ""
        for i in 0..<(options.lines ?? 100_000) { text += script.line(i) + "\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var valleyTimes: [Double] = []
        for _ in 0..<rounds {
            valleyTimes.append(try timed(options.valleyPath, ["--no-rc", path]))
            sqliteTimes.append(try timed(sqlite, [":memory:"], stdin: sqlPath))
        }
        let valleyRate = Double((options.lines ?? 100_000)) / median(valleyTimes)
        let sqliteRate = Double((options.lines ?? 100_000)) / median(sqliteTimes)
        print(String(format: "  valley %@: %9.0f commands/s", script.name, valleyRate))
        print(String(format: "  sqlite3 .read of INSERTs:%@ %9.0f statements/s", String(repeating: " ", count: max(0, script.name.count - 18)), sqliteRate))
        print(String(format: "  ratio valley/sqlite3 rate: %.2f   (floor 10,000/s: %@)", valleyRate / sqliteRate, valleyRate >= 10_000 ? "met" : "NOT met"))
    }

}
