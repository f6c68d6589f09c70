// valley-bench: times valley beside sqlite3 in the same run and prints the ratios.
//
//   swift build -c release --product valley
//   swift run -c release valley-bench shell               # start-up and command throughput
//   swift run -c release valley-bench speed               # issue 16's table, each row with its reference
//   swift run -c release valley-bench registry            # 1M-company import, count, memory, completion
//   swift run -c release valley-bench completion          # the first Tab at 1M (builds the name index), in process
//   swift run -c release valley-bench store               # 1M rows: edit, show, undo, redo times; memory kept
//   swift run -c release valley-bench workspace           # 1M rows: save and open of the SQLite workspace, size, memory
//   swift run -c release valley-bench logistics           # earliest and sweep over 1M connections
//   swift run -c release valley-bench plugins             # external plugins: round trip, 1M enterprises streamed
//   swift run -c release valley-bench interrupt           # Ctrl-C latency: 1M-row import, long week sweep
//   swift run -c release valley-bench generate-registry FILE --rows N
//
// Runs alternate between valley and sqlite3 so drift on a shared machine hits both alike.

import ArgumentParser
import Foundation

/// Where the binaries are, shared by the benchmarks.
struct Options: ParsableArguments {
    @Option(help: "Start-up runs of each program.") var runs = 30
    @Option(help: "Lines of the throughput scripts; rows of the synthetic registry.") var lines: Int?
    @Option(help: "The valley binary (default: beside this one).") var valley: String?
    @Option(help: "The sqlite3 binary.") var sqlite = "/usr/bin/sqlite3"

    var valleyPath: String {
        valley ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("valley").path
    }

    func validateBinaries() throws {
        guard FileManager.default.isExecutableFile(atPath: valleyPath) else {
            throw ValidationError("valley not found at \(valleyPath); build it first: swift build -c release --product valley")
        }
        guard FileManager.default.isExecutableFile(atPath: sqlite) else {
            throw ValidationError("sqlite3 not found at \(sqlite); apt-get install -y sqlite3")
        }
    }
}

struct ValleyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "valley-bench", abstract: "Benchmarks of valley against sqlite3, run side by side.",
        subcommands: [Shell.self, Speed.self, Registry.self, Completion.self, Store.self, Workspace.self, Logistics.self, Interrupt.self, Plugins.self, GenerateRegistry.self,
                      MeasureChild.self], defaultSubcommand: Shell.self)

    /// Runs a program with this process's input and output and writes its seconds and peak
    /// bytes to REPORT: started from this small process, its peak is its own (see `measured`).
    struct MeasureChild: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "measure-child", abstract: "Time a program and read its peak memory.",
                                                        shouldDisplay: false)
        @Argument(help: "Where the figures go.") var report: String
        @Argument(parsing: .captureForPassthrough, help: "The program and its arguments.") var command: [String]
        func run() throws {
            guard let executable = command.first else { throw ValidationError("no program to run") }
            let run = try spawned(executable, Array(command.dropFirst()), allowFailure: true, inheritOutput: true)
            try "\(run.seconds) \(run.peakBytes)".write(toFile: report, atomically: true, encoding: .utf8)
            // The program's failure is this one's, once the figures are written.
            if run.status != 0 { throw ExitCode(1) }
        }
    }

    struct Shell: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start-up and commands per second against sqlite3.")
        @OptionGroup var options: Options
        func run() throws {
            try options.validateBinaries()
            try runShellBenchmark(options)
        }
    }

    struct Speed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue 16's table: start-up, scripts, failing commands, find, Tab, duplicates, export; each with its reference.",
            discussion: "With --baseline FILE, exits 1 when any ratio is more than twice the one in FILE (CI runs a small size).")
        @OptionGroup var options: Options
        @Option(help: "Rows of the synthetic registry.") var rows = 1_000_000
        @Option(help: "A JSON file of ratios to compare with.") var baseline: String?
        @Option(help: "Write this run's ratios to a JSON file.") var writeBaseline: String?
        func run() throws {
            try options.validateBinaries()
            guard try runSpeedBenchmark(options, rows: rows, lines: options.lines ?? 100_000, baseline: baseline, writeBaseline: writeBaseline) else {
                throw ExitCode(1)
            }
        }
    }

    struct Plugins: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "External plugins: a command's round trip, and 1M enterprises streamed to a plugin.")
        @OptionGroup var options: Options
        @Option(help: "Rows of the synthetic registry.") var rows = 1_000_000
        @Option(help: "Round trips of each command.") var roundTrips = 200
        func run() throws {
            try options.validateBinaries()
            try runPluginBenchmark(options, rows: rows, roundTrips: roundTrips)
        }
    }

    struct Registry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A synthetic 1M-company registry: import, count, memory, completion.")
        @OptionGroup var options: Options
        func run() throws {
            try options.validateBinaries()
            try runRegistryBenchmark(options, rows: options.lines ?? 1_000_000)
        }
    }

    struct Completion: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The first Tab on a record name over a synthetic registry, in fresh sessions (this binary's code).")
        @Option(help: "Rows of the synthetic registry.") var rows = 1_000_000
        @Option(help: "Fresh sessions, each importing the registry and pressing Tab.") var rounds = 3
        func run() throws {
            try runCompletionBenchmark(rows: rows, rounds: rounds)
        }
    }

    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Edits, lookups, undo and redo on a synthetic registry: time per command and memory kept.")
        @OptionGroup var options: Options
        @Option(help: "Edits in all (updates, plus a tenth each of adds and removes).") var edits = 1_000
        @Option(help: "Rows of the registry the byte-identical save check uses.") var checkRows = 100_000
        func run() throws {
            try options.validateBinaries()
            try runStoreBenchmark(options, rows: options.lines ?? 1_000_000, edits: edits, checkRows: checkRows)
        }
    }

    struct Workspace: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save and open of a 1M-company workspace: time, file size, peak memory, beside sqlite3.")
        @OptionGroup var options: Options
        func run() throws {
            try options.validateBinaries()
            try runWorkspaceBenchmark(options, rows: options.lines ?? 1_000_000)
        }
    }

    struct Logistics: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Earliest-arrival queries and a week sweep over a generated 1M-connection timetable.")
        @Option(help: "Weekly connections to generate.") var connections = 1_000_000
        func run() throws { try runLogisticsBenchmark(connections: connections) }
    }

    struct Interrupt: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time from Ctrl-C to exit during a 1M-row import and a week sweep over a 20,000-leg route.")
        @OptionGroup var options: Options
        func run() throws {
            try options.validateBinaries()
            try runInterruptBenchmark(options, rows: options.lines ?? 1_000_000)
        }
    }

    struct GenerateRegistry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the deterministic synthetic registry CSV.")
        @Argument(help: "The CSV file to write.") var file: String
        @Option(help: "Rows to write.") var rows = 1_000_000
        @Option(help: "Seed of the generator.") var seed: UInt64 = 2011
        func run() throws {
            var generator = RegistryGenerator(seed: seed)
            try generator.write(rows: rows, to: file)
        }
    }
}

ValleyBench.main()
