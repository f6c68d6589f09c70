import Foundation
import ValleyCore
import ValleyShell

/// The registry at scale: import, count, peak memory and completion, beside sqlite3.
func runRegistryBenchmark(_ options: Options, rows: Int) throws {
    let directory = NSTemporaryDirectory() + "valley-registry-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let csv = directory + "/registry.csv"
    var generator = RegistryGenerator(seed: 2011)
    try generator.write(rows: rows, to: csv)
    let csvBytes = (try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
    print("synthetic registry: \(rows) rows, \(csvBytes / 1_000_000) MB (\(csv))")

    // Import: valley (whole process, built-in data loaded) against sqlite3 .import.
    let rounds = 3
    var valleyImport: [Double] = []
    var sqliteImport: [Double] = []
    var peak = 0
    for _ in 0..<rounds {
        let run = try measured(options.valleyPath, ["--no-rc", "-c", "registry import \(csv)"])
        valleyImport.append(run.seconds)
        peak = max(peak, run.peakBytes)
        sqliteImport.append(try timed(options.sqlite, [":memory:", ".import --csv \(csv) t"]))
    }
    print("\nimport (median of \(rounds) alternating runs)")
    print(String(format: "  valley registry import   %8.0f ms", median(valleyImport) * 1000))
    print(String(format: "  sqlite3 .import --csv    %8.0f ms", median(sqliteImport) * 1000))
    print(String(format: "  ratio valley/sqlite3     %8.2f   (goal ≤ 0.5)", median(valleyImport) / median(sqliteImport)))
    print(String(format: "  valley peak memory       %8.0f MB = %.2f× the CSV (goal ≤ 1.5×)", Double(peak) / 1e6, Double(peak) / Double(csvBytes)))

    // Count: timed inside each program (valley's `set timer`, sqlite3's `.timer`), so
    // start-up and import are left out.
    let countCommand = "registry count --by sector --where \"founded >= 2015\""
    let valleyOut = directory + "/valley-count.txt"
    _ = try measured(options.valleyPath, ["--no-rc", "-c", "registry import \(csv)", "-c", "set timer on", "-c", countCommand, "-c", countCommand, "-c", countCommand], stdout: valleyOut)
    let valleyTimes = try String(contentsOfFile: valleyOut, encoding: .utf8).split(separator: "\n")
        .filter { $0.hasPrefix("time: ") }.compactMap { Double($0.dropFirst(6).split(separator: " ")[0]) }
    let sqliteOut = directory + "/sqlite-count.txt"
    let sqliteScript = directory + "/count.sql"
    let query = "SELECT sectors, count(*) FROM t WHERE founded >= '2015' GROUP BY sectors;"
    try ".import --csv \(csv) t\n.timer on\n\(query)\n\(query)\n\(query)\n".write(toFile: sqliteScript, atomically: true, encoding: .utf8)
    _ = try measured(options.sqlite, [":memory:"], stdin: sqliteScript, stdout: sqliteOut)
    let sqliteTimes = try String(contentsOfFile: sqliteOut, encoding: .utf8).split(separator: "\n")
        .filter { $0.hasPrefix("Run Time: real ") }.compactMap { Double($0.split(separator: " ")[3]) }.map { $0 * 1000 }
    print("\ncount --by sector --where \"founded >= 2015\" (median of 3 in one process each)")
    if !valleyTimes.isEmpty, !sqliteTimes.isEmpty {
        print(String(format: "  valley                   %8.1f ms", median(valleyTimes)))
        print(String(format: "  sqlite3 GROUP BY         %8.1f ms", median(sqliteTimes)))
        print(String(format: "  ratio valley/sqlite3     %8.2f   (goal ≤ 0.25)", median(valleyTimes) / median(sqliteTimes)))
    } else {
        print("  could not read the timings (\(valleyOut), \(sqliteOut))")
    }

    // Completion of a 3-letter prefix over every name, in process.
    let session = Session(model: defaultModel(), outputFD: open("/dev/null", O_WRONLY), errorFD: 2)
    session.execute(["registry", "import", csv], text: "registry import")
    let completer = Completer(session: session)
    let buildStart = DispatchTime.now().uptimeNanoseconds
    let first = completer.complete("registry show Jia")
    let build = Double(DispatchTime.now().uptimeNanoseconds - buildStart) / 1e6
    var times: [Double] = []
    for prefix in ["Jia", "Nin", "Hua", "Kan", "江宁北", "s12", "Tai", "Xin", "Rui", "Bo "] {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = completer.complete("registry show \(prefix)")
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    print("\ncompletion of a 3-letter prefix over \(session.model.enterprises.count) enterprises' names")
    print(String(format: "  first Tab (builds the index)  %8.1f ms  (%d listed, %d more)", build, first.candidates.count, first.more))
    print(String(format: "  later Tabs, median of 10      %8.2f ms  (goal ≤ 5 ms)", median(times.map { $0 / 1000 }) * 1000))
}
