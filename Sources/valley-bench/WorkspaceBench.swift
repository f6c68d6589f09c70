import Foundation
import ValleyCore
import ValleyShell
#if canImport(Glibc)
import Glibc
#endif

/// The workspace file at scale: save and open of a 1M-company model, file size and peak
/// memory, beside sqlite3 writing and reading the same rows in the same run.
func runWorkspaceBenchmark(_ options: Options, rows: Int) throws {
    let (directory, csv) = try syntheticRegistry(bench: "workspace", rows: rows)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let csvBytes = FileIO.size(of: csv)
    print("synthetic registry: \(rows) rows, \(csvBytes / 1_000_000) MB")

    // Memory, in this process: the model's resident size, then the peak while saving.
    let session = Session(model: defaultModel(), outputFD: open("/dev/null", O_WRONLY), errorFD: 2)
    trimMemory()
    let base = residentBytes()
    session.execute(["registry", "import", csv], text: "registry import")
    trimMemory()
    let model = residentBytes() - base
    let workspace = directory + "/w.valley"
    var saves: [Double] = []
    var savePeak = 0
    for _ in 0..<3 {
        resetPeak()
        let start = DispatchTime.now().uptimeNanoseconds
        session.execute(["save", workspace], text: "save")
        saves.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        savePeak = max(savePeak, peakBytes() - base)
    }
    let fileBytes = FileIO.size(of: workspace)

    // Open: a fresh valley each time, timed by its own `set timer` (start-up left out).
    var opens: [Double] = []
    var openPeak = 0
    let idle = try measured(options.valleyPath, ["--no-rc", "--empty", "-c", "quit"]).peakBytes
    for round in 0..<3 {
        let out = directory + "/open-\(round).txt"
        let run = try measured(options.valleyPath, ["--no-rc", "--empty", "-c", "set timer on", "-c", "open \(workspace)"], stdout: out)
        openPeak = max(openPeak, run.peakBytes - idle)
        if let line = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").last(where: { $0.hasPrefix("time: ") }),
           let milliseconds = Double(line.dropFirst(6).split(separator: " ")[0]) {
            opens.append(milliseconds / 1000)
        }
    }

    // sqlite3 on the same rows: VACUUM INTO writes a database (what `.save` does), then a
    // fresh sqlite3 reads every row of it (valley's open reads every row; sqlite3's own
    // open is lazy and reads nothing).
    let reference = directory + "/reference.db"
    let script = directory + "/save.sql"
    try ".import --csv \(csv) t\n.timer on\nVACUUM INTO '\(reference)';\n".write(toFile: script, atomically: true, encoding: .utf8)
    let saveOut = directory + "/sqlite-save.txt"
    _ = try measured(options.sqlite, [":memory:"], stdin: script, stdout: saveOut)
    let sqliteSave = try runTimes(saveOut).first ?? .nan
    let readScript = directory + "/read.sql"
    try ".timer on\n.output /dev/null\nSELECT * FROM t;\n".write(toFile: readScript, atomically: true, encoding: .utf8)
    let readOut = directory + "/sqlite-read.txt"
    var sqliteReads: [Double] = []
    for _ in 0..<3 {
        _ = try measured(options.sqlite, [reference], stdin: readScript, stdout: readOut)
        sqliteReads.append(contentsOf: try runTimes(readOut))
    }
    let countSeconds = try timed(options.sqlite, [workspace, "SELECT count(*) FROM enterprises"])

    // DuckDB (pip install duckdb), in process: the CSV in memory, then written to a database
    // file (save), and every column of it read back by a fresh connection (open).
    let duckScript = directory + "/duck.py"
    try """
    import duckdb, os, statistics, time
    csv, target = '\(csv)', '\(directory)/duck.duckdb'
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv}', all_varchar=true)")
    saves, opens = [], []
    for _ in range(3):
        if os.path.exists(target): os.remove(target)
        start = time.perf_counter()
        con.execute(f"ATTACH '{target}' AS d"); con.execute("CREATE TABLE d.t AS SELECT * FROM t"); con.execute("DETACH d")
        saves.append(time.perf_counter() - start)
        start = time.perf_counter()
        reader = duckdb.connect(target, read_only=True)
        columns = [row[0] for row in reader.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 't'").fetchall()]
        reader.execute("SELECT " + ", ".join(f'sum(length("{c}"))' for c in columns) + " FROM t").fetchall()
        reader.close()
        opens.append(time.perf_counter() - start)
    print("save", statistics.median(saves)); print("open", statistics.median(opens)); print("size", os.path.getsize(target))
    """.write(toFile: duckScript, atomically: true, encoding: .utf8)
    let duckOut = directory + "/duck.txt"
    let duck = duckDBFigures(script: duckScript, output: duckOut)

    print("\nworkspace of \(session.model.enterprises.count) enterprises (median of 3)")
    print(String(format: "  valley save                 %8.0f ms   (goal ≤ 1500 ms)", median(saves) * 1000))
    print(String(format: "  sqlite3 VACUUM INTO         %8.0f ms   ratio valley/sqlite3 %.2f", sqliteSave * 1000, median(saves) / sqliteSave))
    print(String(format: "  valley open                 %8.0f ms   (goal ≤ 1500 ms)", median(opens) * 1000))
    print(String(format: "  sqlite3 SELECT * (all rows) %8.0f ms   ratio valley/sqlite3 %.2f", median(sqliteReads) * 1000, median(opens) / median(sqliteReads)))
    if let save = duck["save"], let open = duck["open"], let size = duck["size"] {
        print(String(format: "  DuckDB save to a file       %8.0f ms   ratio valley/DuckDB %.2f", save * 1000, median(saves) / save))
        print(String(format: "  DuckDB read every column    %8.0f ms   ratio valley/DuckDB %.2f   (DuckDB's file %.0f MB)", open * 1000, median(opens) / open, size / 1e6))
    } else {
        print("  DuckDB not available (pip install duckdb)")
    }
    print(String(format: "  sqlite3 count(*) on valley's file, whole process %.0f ms", countSeconds * 1000))
    print(String(format: "  file %8.0f MB = %.2f× the CSV (goal ≤ 1.2×); sqlite3's database %.0f MB",
                 Double(fileBytes) / 1e6, Double(fileBytes) / Double(csvBytes), Double(FileIO.size(of: reference)) / 1e6))
    print(String(format: "  model in memory %6.0f MB; peak above it while saving %.2f× the model, while opening %.2f× (goal ≤ 1.5×)",
                 Double(model) / 1e6, Double(savePeak) / Double(model), Double(openPeak) / Double(model)))
}

/// sqlite3's `.timer` lines ("Run Time: real 0.123 …") in seconds.
private func runTimes(_ path: String) throws -> [Double] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        .filter { $0.hasPrefix("Run Time: real ") }.compactMap { Double($0.split(separator: " ")[3]) }
}

/// This process's resident memory now (`/proc/self/statm`).
private func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}

/// This process's peak resident memory since the last `resetPeak()` (`VmHWM`).
private func peakBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
    return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
}

/// Sets the peak to the current resident size (Linux: `5` to `/proc/self/clear_refs`).
private func resetPeak() {
    let fd = open("/proc/self/clear_refs", O_WRONLY)
    guard fd >= 0 else { return }
    _ = "5".withCString { write(fd, $0, 1) }
    close(fd)
}

/// Returns freed heap to the system, so that resident size measures what is in use.
/// (glibc's `malloc_trim`, which the Glibc module does not export: looked up by name.)
private func trimMemory() {
    typealias Trim = @convention(c) (Int) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
    _ = unsafeBitCast(symbol, to: Trim.self)(0)
}
