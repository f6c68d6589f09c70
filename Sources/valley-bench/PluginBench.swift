import ArgumentParser
import Foundation

/// Issue 17: an external plugin command's round trip (the declared command parsed, one record
/// fetched, one table back) and a plugin that streams every enterprise of a 1M registry
/// through its callback. The Swift plugin (`valley-land-use`, built beside this binary) and
/// the Python one (Examples/plugins/trials.py) are both timed; valley's own `registry show`
/// of one record, in the same run, is the reference for the round trip.
func runPluginBenchmark(_ options: Options, rows: Int, roundTrips: Int) throws {
    let directory = NSTemporaryDirectory() + "valley-plugin-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    // A private plugin registry: the user's own is not touched.
    setenv("XDG_CONFIG_HOME", directory + "/config", 1)
    let binaries = URL(fileURLWithPath: options.valleyPath).deletingLastPathComponent()
    let swiftPlugin = binaries.appendingPathComponent("valley-land-use").path
    guard FileManager.default.isExecutableFile(atPath: swiftPlugin) else {
        throw ValidationError("valley-land-use not found at \(swiftPlugin); build it first: swift build -c release --product valley-land-use")
    }
    let pythonPlugin = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/plugins/trials.py").path
    let csv = directory + "/registry.csv"
    var generator = RegistryGenerator(seed: 2011)
    try generator.write(rows: rows, to: csv)
    print("issue 17: plugin round trips (\(roundTrips) each) and a stream of \(rows) enterprises\n")

    var script = "plugin add \(swiftPlugin)\nplugin add \(pythonPlugin)\nregistry import \(csv)\n"
    script += "trials add t1 --title 'A trial' --sponsor s1 --phase 1\nset timer on\n"
    for _ in 0..<roundTrips { script += "registry show s1\n" }
    for _ in 0..<roundTrips { script += "landuse tenant s1\n" }
    for _ in 0..<roundTrips { script += "trials show t1\n" }
    for _ in 0..<3 { script += "landuse stream --fields id,name\n" }
    for _ in 0..<3 { script += "trials scan --fields id,name\n" }
    let path = directory + "/bench.valley"
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    let output = directory + "/out.txt"
    let run = try measured(options.valleyPath, ["--no-rc", "--bail", path], stdout: output, allowFailure: true)
    // One `time:` line for `set timer on` itself, then one per command.
    let times = Array(try timerLines(output).dropFirst())
    guard times.count == 3 * roundTrips + 6 else {
        let kept = NSTemporaryDirectory() + "valley-plugin-bench-output.txt"
        try? FileManager.default.removeItem(atPath: kept)
        try? FileManager.default.copyItem(atPath: output, toPath: kept)
        throw ValidationError("expected \(3 * roundTrips + 6) timer lines from valley, got \(times.count) (run took \(run.seconds) s); its output is in \(kept)")
    }
    let show = Array(times[0..<roundTrips])
    let tenant = Array(times[roundTrips..<2 * roundTrips])
    let trialShow = Array(times[2 * roundTrips..<3 * roundTrips])
    let streams = Array(times.suffix(6))
    func line(_ name: String, _ value: Double, _ reference: String, _ goal: String) {
        print(String(format: "  %-44@ %9.3f ms   %@   (%@)", name as NSString, value, reference as NSString, goal as NSString))
    }
    line("landuse tenant ID (Swift plugin, median)", median(tenant), String(format: "registry show ID %.3f ms", median(show)), "goal ≤ 2 ms")
    line("trials show ID (Python, 2 records, median)", median(trialShow), "", "goal ≤ 2 ms (one record)")
    line("landuse stream, \(rows) enterprises (Swift)", median(Array(streams[0..<3])), "JSONSerialization in the plugin", "goal ≤ 1,500 ms")
    line("trials scan, \(rows) enterprises (Python)", median(Array(streams[3..<6])), "", "goal ≤ 1,500 ms")
}
