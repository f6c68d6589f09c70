import Foundation
import XCTest
import ValleyCore

/// `save` killed with SIGKILL at random moments: the file always holds the old model or the
/// new one, never a mix. SIGINT in a script cancels the running command and exits 130.
final class CrashSafetyTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws { directory = try ValleyProcess.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func bigCSV(rows: Int) throws -> String {
        var text = "id,name,name_zh,founded,sectors\n"
        for index in 0..<rows { text += "g\(index),\"Generated \(index), Ltd.\",生成\(index),\(1990 + index % 35),cell-therapy\n" }
        let path = directory + "/big.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func spawn(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ValleyProcess.binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    func testSaveKilledAtRandomMomentsLeavesOldOrNew() throws {
        let csv = try bigCSV(rows: 5_000)
        let old = directory + "/old.json", new = directory + "/new.json", target = directory + "/target.json"
        XCTAssertEqual(try ValleyProcess.run(["--no-rc", "-c", "save \(old)"]).status, 0)
        let started = Date()
        XCTAssertEqual(try ValleyProcess.run(["--no-rc", "-c", "registry import \(csv)", "-c", "save \(new)"]).status, 0)
        let runtime = Date().timeIntervalSince(started)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: old))
        let newBytes = try Data(contentsOf: URL(fileURLWithPath: new))
        XCTAssertNotEqual(oldBytes, newBytes)

        var state: UInt64 = 42
        var sawOld = 0, sawNew = 0
        for _ in 0..<100 {
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: old, toPath: target)
            let process = try spawn(["--no-rc", "-c", "registry import \(csv)", "-c", "save \(target)"])
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let delay = Double(state >> 11) / Double(1 << 53) * runtime * 1.2
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let bytes = try Data(contentsOf: URL(fileURLWithPath: target))
            XCTAssertTrue(bytes == oldBytes || bytes == newBytes, "after a kill at \(delay) s the file is neither the old nor the new model")
            if bytes == oldBytes { sawOld += 1 } else { sawNew += 1 }
            XCTAssertNoThrow(try Workspace.load(from: target))
        }
        XCTAssertEqual(sawOld + sawNew, 100)
        XCTAssertGreaterThan(sawOld, 0, "some kills landed before the rename")
        XCTAssertGreaterThan(sawNew, 0, "some runs finished")
    }

    func testInterruptCancelsAnImportInAScript() throws {
        let csv = try bigCSV(rows: 150_000)
        let marker = directory + "/after.json"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ValleyProcess.binary)
        process.arguments = ["--no-rc", "-c", "registry import \(csv)", "-c", "save \(marker)"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.4)
        kill(process.processIdentifier, SIGINT)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertTrue(message.contains("-c:1: error: interrupted"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the run stops: nothing after the interrupted command runs")
    }
}
