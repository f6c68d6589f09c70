// Fuzz targets for the parsers that read user input. Each must return for any bytes, throwing
// `ValleyError` at worst, never crash.
//
// Built two ways:
// - with `-DFUZZING -sanitize=fuzzer,address` (Tests/Fuzz/run.sh): libFuzzer's entry point,
//   the target chosen by $VALLEY_FUZZ_TARGET;
// - normally: a replayer, `valley-fuzz TARGET FILE…`, that runs saved inputs (the seed corpus,
//   crashes found) through the same code, so they stay regression tests.

import LogisticsChecks
import ValleyCore
import ValleyShell
import ValleyTableFiles
import ValleyWorkspace
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

enum FuzzTarget: String, CaseIterable {
    case tokenizer, filter, csv, workspace, database, datetime, commands, tablefile

    func run(_ bytes: [UInt8]) {
        switch self {
        case .tokenizer:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? Tokenizer(variables: ["x": "1"], arguments: ["a"]).tokenize(text)
        case .filter:
            let text = String(decoding: bytes, as: UTF8.self)
            let fields = RecordFields<Int>([
                .init("n", .number, "n") { .number(Double($0)) },
                .init("d", .date, "d") { _ in .date(CalendarDate(year: 2020)) },
                .init("t", .text, "t") { .text(String($0)) },
                .init("l", .list, "l") { .list([String($0)]) },
            ], has: { _ in ["x"] })
            if let filter = try? fields.filter(text) { _ = (0..<3).map(filter.matches) }
        case .csv:
            _ = try? CSVReader(bytes: bytes, path: "fuzz.csv").records()
        case .workspace:
            _ = try? Workspace.decode(Data(bytes), path: "fuzz.json", kinds: recordKinds())
        case .database:
            // The bytes as a workspace file (SQLite when they start with its header): opening
            // refuses or loads, never traps, whatever SQLite finds in the pages.
            let path = "/tmp/valley-fuzz-\(getpid()).valley"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else { return }
            try? FileIO.writeAll(bytes, to: fd, name: path)
            close(fd)
            _ = try? WorkspaceFile.load(from: path, kinds: recordKinds())
            unlink(path)
        case .datetime:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = CalendarDate(text)
            _ = TransitDuration(text)
            _ = WeeklySchedule.parse(text)
            _ = CreditCode.problem(with: text)
            _ = try? DateTimeText.parse(text)
        case .commands:
            CommandSequence.run(bytes)
        case .tablefile:
            // The bytes as a file to import: a workbook when they start like a ZIP (the seeds are
            // .xlsx files), else text in whatever encoding is detected; then the written forms.
            let path = "/tmp/valley-fuzz-\(getpid()).\(bytes.starts(with: [0x50, 0x4B]) ? "xlsx" : "csv")"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else { return }
            try? FileIO.writeAll(bytes, to: fd, name: path)
            close(fd)
            if let table = try? TableFile(path: path, name: "fuzz") {
                while let record = try? table.nextRecord() { _ = record }
            }
            unlink(path)
            let text = String(decoding: bytes.prefix(200), as: UTF8.self)
            _ = try? WrittenValues.date(text, field: "f", order: nil)
            _ = try? WrittenValues.money(text, field: "f")
            _ = WrittenValues.integer(text)
        }
    }
}

#if FUZZING
nonisolated(unsafe) private var selected: FuzzTarget?  // set once before libFuzzer calls in; libFuzzer is single-threaded

/// libFuzzer's driver (from libclang_rt.fuzzer_no_main): SwiftPM names an executable's entry
/// point `valley_fuzz_main`, so we provide that and hand control to libFuzzer.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("valley_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}

public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if selected == nil {
        let name = getenv("VALLEY_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            print("set VALLEY_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
            exit(64)
        }
        selected = target
    }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selected!.run(bytes)
    return 0
}
#else
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: valley-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE…")
            exit(64)
        }
        var count = 0
        CommandSequence.printsCommands = getenv("VALLEY_FUZZ_PRINT") != nil
        for path in arguments.dropFirst() {
            guard let bytes = try? FileIO.readBytes(path) else { print("cannot read \(path)"); exit(66) }
            target.run(bytes)
            count += 1
        }
        print("\(target.rawValue): \(count) inputs replayed, no crash")
    }
}
#endif
