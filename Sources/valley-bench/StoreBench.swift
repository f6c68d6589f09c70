import Foundation

/// Edits at scale: per-edit time, lookup by id, and the memory that 1,000 edits, 1,000 undos
/// and 1,000 redos keep, on a synthetic registry. Works against any valley binary with the same
/// commands (so a before/after comparison runs the same script on both).
///
/// The issue's goals: update/add/remove ≤ 5 ms each at 1M rows, `registry show ID` ≤ 1 ms,
/// peak memory after the edits, undos and redos ≤ 1.2× the peak after the import, and the
/// model after the undos saves byte-identical to the one before the edits.
func runStoreBenchmark(_ options: Options, rows: Int, edits: Int, checkRows: Int) throws {
    let (directory, csv) = try syntheticRegistry(bench: "store", rows: rows)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    print("synthetic registry: \(rows) rows; \(edits) edits of each kind; valley: \(options.valleyPath)")

    // 1. Import alone: the memory the model itself needs.
    let importOnly = try measured(options.valleyPath, ["--no-rc", "-c", "registry import \(csv)"])

    // The ids the import keeps: rows matched by name to an earlier row are merged into it
    // (issue 14), so not every generated `sN` is an enterprise; edits of a missing id would fail.
    let ids = try importedIDs(csv, options: options, directory: directory)

    // 2. Import, then timed edits, lookups, undos and redos.
    var script = "registry import \(csv)\nset timer on\n"
    let updates = max(1, edits - 2 * (edits / 10))
    let adds = edits / 10
    for index in 0..<updates { script += "registry update \(ids[(index * 7919) % ids.count]) --headcount \(10_000 + index)\n" }
    for index in 0..<adds { script += "registry add bench\(index) --name \"Bench \(index)\" --sector cell-therapy --source seed-efec-2025\n" }
    for index in 0..<adds { script += "registry remove bench\(index)\n" }
    for index in 0..<5 { script += "registry show \(ids[ids.count - 1 - index])\n" }
    script += String(repeating: "undo\n", count: updates + 2 * adds)
    script += String(repeating: "redo\n", count: updates + 2 * adds)
    let scriptPath = directory + "/edits.valley"
    try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
    let output = directory + "/edits.out"
    let full = try measured(options.valleyPath, ["--no-rc", scriptPath], stdout: output)
    let times = try timerLines(output)
    func slice(_ start: Int, _ count: Int) -> [Double] { Array(times.dropFirst(start).prefix(count)) }
    let total = updates + 2 * adds
    let groups: [(String, [Double])] = [
        ("registry update", slice(0, updates)), ("registry add", slice(updates, adds)), ("registry remove", slice(updates + adds, adds)),
        ("registry show ID", slice(total, 5)), ("undo", slice(total + 5, total)), ("redo", slice(2 * total + 5, total)),
    ]
    print("\nper command (ms, in process: `set timer on`)        median      max   (goal ≤ 5 ms an edit, ≤ 1 ms a show)")
    for (name, values) in groups where !values.isEmpty {
        print(String(format: "  %-18@ ×%5d                         %8.3f %8.3f", name as NSString, values.count, median(values), values.max()!))
    }
    print(String(format: "\npeak memory: import alone %.0f MB; import + %d edits + %d undos + %d redos %.0f MB = %.2f× (goal ≤ 1.2×)",
                 Double(importOnly.peakBytes) / 1e6, total, total, total, Double(full.peakBytes) / 1e6,
                 Double(full.peakBytes) / Double(importOnly.peakBytes)))

    // 3. Byte-identical after undoing everything (the saved form, a SQLite database).
    let small = directory + "/small.csv"
    var smallGenerator = RegistryGenerator(seed: 2011)
    try smallGenerator.write(rows: checkRows, to: small)
    let smallIDs = try importedIDs(small, options: options, directory: directory)
    var check = "registry import \(small)\nsave \(directory)/before.valley\n"
    for index in 0..<updates { check += "registry update \(smallIDs[(index * 7919) % smallIDs.count]) --headcount \(10_000 + index)\n" }
    for index in 0..<adds { check += "registry add bench\(index) --name \"Bench \(index)\" --sector cell-therapy --source seed-efec-2025\n" }
    for index in 0..<adds { check += "registry remove \(smallIDs[(index * 3) % smallIDs.count])\n" }
    check += String(repeating: "undo\n", count: total)
    check += "save \(directory)/after.valley\n"
    try check.write(toFile: directory + "/check.valley", atomically: true, encoding: .utf8)
    _ = try measured(options.valleyPath, ["--no-rc", directory + "/check.valley"])
    let same = FileManager.default.contentsEqual(atPath: directory + "/before.valley", andPath: directory + "/after.valley")
    print("\nsaved after \(total) edits and \(total) undos (\(checkRows) rows): \(same ? "byte-identical" : "DIFFERENT") to the save before the edits")
}

/// The ids of the enterprises a valley session has after importing `csv` (read back through
/// `registry export`: the first column of each row).
private func importedIDs(_ csv: String, options: Options, directory: String) throws -> [String] {
    // The ids alone (7 MB), not the whole export (147 MB): read here whole, the export took the
    // bench's own peak to 316 MB, which the next spawned valley's peak then reported (see
    // `measured`): the store bench's "1.12×" of session 17 was the bench's memory, not valley's.
    let exported = directory + "/ids.csv"
    _ = try measured(options.valleyPath, ["--no-rc", "-c", "registry import \(csv)", "-c", "registry list --fields id --format csv"], stdout: exported)
    let text = try String(contentsOfFile: exported, encoding: .utf8)
    // The built-in enterprises (other ids) are left out.
    return text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).dropFirst().map(String.init)
        .filter { $0.hasPrefix("s") && $0.dropFirst().allSatisfy(\.isNumber) && $0.count > 1 }
}
