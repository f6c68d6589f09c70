import Foundation
import ValleyCore
import ValleyShell

/// The registry at scale: import, count, peak memory and completion, beside sqlite3.
func runRegistryBenchmark(_ options: Options, rows: Int) throws {
    let (directory, csv) = try syntheticRegistry(bench: "registry", rows: rows)
    defer { try? FileManager.default.removeItem(atPath: directory) }
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
    let valleyTimes = try timerLines(valleyOut)
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

    // The analyst's fastest alternative: DuckDB (pip install duckdb), timed in process like
    // valley's `set timer`, in the same run.
    let containsCommand = "registry list --where \"name-zh ~ 细胞治疗\" --limit 3"
    let valleyScan = directory + "/valley-scan.txt"
    _ = try measured(options.valleyPath, ["--no-rc", "-c", "registry import \(csv)", "-c", "set timer on",
                                          "-c", containsCommand, "-c", containsCommand, "-c", containsCommand], stdout: valleyScan)
    let containsTimes = try timerLines(valleyScan)
    let duckScript = directory + "/duck.py"
    try """
    import duckdb, statistics, sys, time
    con = duckdb.connect()
    def timed(query, runs=3):
        times = []
        for _ in range(runs):
            start = time.perf_counter(); con.execute(query).fetchall(); times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)
    start = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv('\(csv)', all_varchar=true)")
    print("import", (time.perf_counter() - start) * 1000)
    print("count", timed("SELECT s, count(*) FROM (SELECT unnest(string_split(sectors, ';')) AS s FROM t WHERE founded >= '2015') GROUP BY s"))
    print("contains", timed("SELECT * FROM t WHERE name_zh LIKE '%细胞治疗%' LIMIT 3"))
    """.write(toFile: duckScript, atomically: true, encoding: .utf8)
    let duckOut = directory + "/duck.txt"
    print("\nagainst DuckDB (in process, median of 3; import is one CREATE TABLE AS read_csv)")
    let duck = duckDBFigures(script: duckScript, output: duckOut)
    if !duck.isEmpty {
        let rows: [(String, Double?, Double?, String)] = [
            ("import", median(valleyImport) * 1000, duck["import"], "valley: whole process"),
            ("count --by sector --where", valleyTimes.isEmpty ? nil : median(valleyTimes), duck["count"], "GROUP BY over the split list"),
            ("list --where name-zh ~ …", containsTimes.isEmpty ? nil : median(containsTimes), duck["contains"], "LIKE '%…%' LIMIT 3"),
        ]
        for (name, valley, duckdb, note) in rows {
            guard let valley, let duckdb else { continue }
            print(String(format: "  %-28@ valley %8.1f ms  DuckDB %8.1f ms  ratio %6.2f  (goal ≤ 1.0; %@)", name as NSString, valley, duckdb, valley / duckdb, note as NSString))
        }
    } else {
        print("  DuckDB not available (pip install duckdb)")
    }

    let tabs = completionTimes(csv: csv)
    print("\ncompletion of a 3-letter prefix over \(tabs.enterprises) enterprises' names")
    print(String(format: "  first Tab (builds the index)  %8.1f ms  (%d listed, %d more)", tabs.first, tabs.listed, tabs.more))
    print(String(format: "  later Tabs, median of 10      %8.2f ms  (goal ≤ 5 ms)", median(tabs.later)))
}

/// Completion of a 3-letter prefix over every name of the registry in `csv`, in process (this
/// binary's code, not `--valley`'s): the first Tab, which builds the name index and numbers
/// the names, and ten later ones, in milliseconds.
func completionTimes(csv: String) -> (first: Double, later: [Double], listed: Int, more: Int, enterprises: Int) {
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
    return (build, times, first.candidates.count, first.more, session.model.enterprises.count)
}

/// The first Tab alone, a few times (a fresh session each): what `registry` reports once.
func runCompletionBenchmark(rows: Int, rounds: Int) throws {
    let (directory, csv) = try syntheticRegistry(bench: "completion", rows: rows)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var firsts: [Double] = []
    var later: [Double] = []
    var enterprises = 0
    for _ in 0..<rounds {
        let tabs = completionTimes(csv: csv)
        firsts.append(tabs.first)
        later += tabs.later
        enterprises = tabs.enterprises
    }
    print("completion over \(enterprises) enterprises' names, in process, \(rounds) fresh sessions")
    print(String(format: "  first Tab (builds the index), median  %8.1f ms  (%@)", median(firsts), spread(firsts.map { $0 / 1000 })))
    print(String(format: "  later Tabs, median                    %8.2f ms", median(later)))
}
