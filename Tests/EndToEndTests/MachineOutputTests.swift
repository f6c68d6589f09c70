import ArgumentParser
import Foundation
import ValleyCore
import ValleyShell
import XCTest

/// Every plugin command's csv, json and jsonl output is read by a real parser (Python's `csv`
/// and `json` modules): one document on stdout, prose and notes on stderr.
final class MachineOutputTests: XCTestCase {
    /// One invocation of every plugin command on the built-in data (`FILE` is a scratch path).
    static let invocations: [String] = [
        "policy list", "policy show jiangbei-national-new-area", "policy add p1 --title T --issuer I --level park --instrument pilot --issued 2022 --source seed-efec-2025",
        "policy events", "policy targets nanjing-biomed-five-year-plan-2020",
        "policy impact jiangbei-national-new-area --indicator nanjing-biomed-revenue --window 3",
        "policy timeline --from 2015 --to 2025", "indicator list", "indicator show nanjing-biomed-revenue",
        "indicator add i1 --name N --unit bn --definition d --scope s --region r",
        "indicator observe nanjing-biomed-revenue --period 2030 --value 1 --source seed-efec-2025",
        "indicator series nanjing-biomed-revenue --growth", "sources show iaso-bio", "sources add s1 --title T --publisher P --reliability secondary",
        "registry list", "registry show iaso-bio", "registry find pharma", "registry count --by sector",
        "registry add e1 --name E --source seed-efec-2025", "registry update iaso-bio --headcount 10", "registry remove luye-pharma",
        "registry import FILE.csv", "registry export FILE.csv", "registry duplicates", "registry merge iaso-bio simcere",
        "registry coverage", "registry validate", "registry sector list", "registry sector add s9 Space",
        "logistics profiles", "logistics site list", "logistics site show hkg", "logistics site add x1 --name X --city C --time-zone Asia/Shanghai",
        "logistics leg list", "logistics leg show nkg-import-customs", "logistics leg add l1 --from hkg --to nkg --kind flight --duration 3h --assumption test",
        "logistics route list", "logistics route show hk-sample-to-nanjing", "logistics route add r1 --name R --legs nkg-import-customs",
        "logistics check hk-sample-to-nanjing --cargo apheresis-fresh",
        "logistics whatif hk-sample-to-nanjing --cargo apheresis-fresh --set nkg-import-customs.duration=8h",
        "logistics sweep hk-sample-to-nanjing --cargo apheresis-fresh --week-of 2025-03-03 --step 6h",
        "logistics earliest hk-hospital iaso-nanjing --depart 2025-03-03T08:00+08:00 --cargo apheresis-fresh",
        "logistics audit FILE.log.csv --cargo apheresis-fresh",
        "talent institutions", "talent institution add x1 --name X --kind platform --source seed-efec-2025", "talent institution show nju", "talent cohort list",
        "talent cohort add c1 --population P --year 2024 --count 10 --definition d --scope s --source seed-efec-2025",
        "talent import FILE.talent.csv", "talent summary", "talent growth --by scope", "talent rank --by scope --year 2025",
        "talent map", "talent supply-demand", "talent chart",
        // Built-ins that print tables take the shell's --format too.
        "model", "plugins", "help",
    ]

    func testEveryCommandsCSVAndJSONParse() throws {
        let directory = NSTemporaryDirectory() + "valley-machine-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "id,name\nm1,Machine One\n".write(toFile: directory + "/FILE.csv", atomically: true, encoding: .utf8)
        try "time,place,party,kind,temperature,identity\n2025-03-03T08:00+08:00,ward,nurse,pickup,5,ID-1\n".write(toFile: directory + "/FILE.log.csv", atomically: true, encoding: .utf8)
        try "id,population,year,count,scope,source,level\nt1,P,2024,\"3,100\",s,seed-efec-2025,本科\n".write(toFile: directory + "/FILE.talent.csv", atomically: true, encoding: .utf8)
        var lines: [String] = []
        for invocation in Self.invocations {
            for format in ["csv", "json", "jsonl"] {
                let result = try ValleyProcess.run(["--no-rc", "--format", format, "-c", invocation], directory: directory)
                XCTAssertEqual(result.status, 0, "\(invocation) --format \(format): \(result.stderr)")
                let file = directory + "/out-\(lines.count).\(format)"
                try result.stdout.write(toFile: file, atomically: true, encoding: .utf8)
                lines.append("\(format)\t\(file)\t\(invocation)")
            }
        }
        let list = directory + "/outputs.tsv"
        try lines.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
        let checker = """
            import csv, json, sys
            failures = []
            for line in open(sys.argv[1], encoding="utf-8"):
                kind, path, command = line.rstrip("\\n").split("\\t")
                text = open(path, encoding="utf-8", newline="").read()
                try:
                    if kind == "json":
                        if text:
                            value = json.loads(text)
                            assert isinstance(value, (list, dict)), "not an array or object"
                    elif kind == "jsonl":
                        for row in text.splitlines():
                            assert isinstance(json.loads(row), dict), "a line that is not an object"
                    elif text:
                        rows = list(csv.reader(text.splitlines(keepends=True), strict=True))
                        widths = {len(row) for row in rows}
                        assert len(widths) == 1, f"rows of {sorted(widths)} fields"
                except Exception as error:
                    failures.append(f"{command} --format {kind}: {error}: {text[:200]!r}")
            print("\\n".join(failures))
            sys.exit(1 if failures else 0)
            """
        try checker.write(toFile: directory + "/check.py", atomically: true, encoding: .utf8)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", directory + "/check.py", list]
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        let report = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        XCTAssertEqual(python.terminationStatus, 0, report)
    }

    /// The list above names every plugin command: a new command must be added to it.
    func testTheListCoversEveryPluginCommand() {
        func leaves(_ type: any ParsableCommand.Type, _ path: [String]) -> [String] {
            let subcommands = type.configuration.subcommands
            if subcommands.isEmpty { return [path.joined(separator: " ")] }
            return subcommands.flatMap { leaves($0, path + [$0._commandName]) }
        }
        let all = builtinPlugins.flatMap { plugin in plugin.commands.flatMap { leaves($0, [$0._commandName]) } }
        XCTAssertGreaterThan(all.count, 40)
        for command in all {
            XCTAssertTrue(Self.invocations.contains { $0 == command || $0.hasPrefix(command + " ") }, "no invocation of '\(command)'")
        }
    }

    /// A verdict is data in json, and `--strict` makes a FAIL exit 1 (for scripts).
    func testCheckVerdictIsDataAndStrictFails() throws {
        let json = try ValleyProcess.run(["--no-rc", "--format", "json", "-c", "logistics check hk-sample-to-nanjing --cargo apheresis-fresh"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let verdict = try XCTUnwrap(document["verdict"] as? [String: Any])
        XCTAssertEqual(verdict["result"] as? String, "PASS")
        let total = try XCTUnwrap((document["checks"] as? [[String: Any]])?.first?["total"] as? [String: Any])
        XCTAssertEqual(total["minutes"] as? Int, 690, "3h + 2h30m + 4h + 2h")
        let failing = try ValleyProcess.run(["--no-rc", "-c", "logistics whatif hk-sample-to-nanjing --cargo apheresis-fresh --set nkg-import-customs.duration=8h",
                                             "-c", "logistics leg add slow --from hkg --to nkg --kind flight --duration 40h --assumption test",
                                             "-c", "logistics route add slow-route --name Slow --legs slow",
                                             "-c", "logistics check slow-route --cargo apheresis-fresh --strict"])
        XCTAssertEqual(failing.status, 1, failing.stderr)
        XCTAssertTrue(failing.stderr.contains("verdict FAIL (--strict)"), failing.stderr)
        XCTAssertTrue(failing.stdout.contains("FAIL"), "the output is printed before the failure")
    }
}
