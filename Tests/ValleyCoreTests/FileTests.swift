import Foundation
import XCTest
@testable import ValleyCore

final class FileTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "valley-core-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func testInvalidUTF8NamesTheLine() throws {
        let path = directory + "/bad.txt"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data([0x61, 0x0A, 0x62, 0x0A, 0xFF, 0x0A])))
        XCTAssertThrowsError(try FileIO.checkText(path)) { error in
            XCTAssertEqual(error as? ValleyError, .located(file: path, line: 3, .invalidValue(field: "text", value: "…", expected: "valid UTF-8")))
        }
    }

    func testMissingFileAndDirectoryAreErrors() {
        XCTAssertThrowsError(try FileIO.checkText(directory + "/nope")) { XCTAssertEqual($0 as? ValleyError, .file(path: self.directory + "/nope", reason: "no such file")) }
        XCTAssertThrowsError(try FileIO.checkText(directory)) { XCTAssertEqual($0 as? ValleyError, .file(path: self.directory, reason: "is a directory, not a file")) }
    }

    func testAtomicWriteReplacesAndLeavesNoTemporaryFile() throws {
        let path = directory + "/out.txt"
        try FileIO.writeAtomically(Array("old".utf8), to: path)
        try FileIO.writeAtomically(Array("new".utf8), to: path)
        XCTAssertEqual(String(decoding: try FileIO.readBytes(path), as: UTF8.self), "new")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["out.txt"])
    }

    func testAtomicWriteRemovesTemporariesOfDeadWritersOnly() throws {
        let path = directory + "/out.txt"
        // A PID that no process has: the largest possible one is above /proc/sys/kernel/pid_max.
        let deadPID: pid_t = 4_194_304 + 17
        XCTAssertNotEqual(kill(deadPID, 0), 0)
        let abandoned = ".out.txt.tmp-\(deadPID)-12345"
        let live = ".out.txt.tmp-1-777"                 // PID 1 is alive: its writer may still rename
        let other = ".other.txt.tmp-\(deadPID)-1"        // another file's temporary
        let lookalike = ".out.txt.tmp-notapid-1"
        for name in [abandoned, live, other, lookalike] {
            XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/" + name, contents: Data("partial".utf8)))
        }
        try FileIO.writeAtomically(Array("new".utf8), to: path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(),
                       [live, other, lookalike, "out.txt"].sorted())
    }

    func testWorkspaceRoundTripAndRefusals() throws {
        var model = ClusterModel()
        try model.insert(Source(id: "s", title: "T", publisher: "P", reliability: .primary))
        try model.insert(Enterprise(id: "e", nameZH: "驯鹿生物", founded: CalendarDate("2015-06"), sources: ["s"]))
        let path = directory + "/w.json"
        try Workspace.save(model, to: path)
        XCTAssertEqual(try Workspace.load(from: path, kinds: ClusterModel.coreKinds).model, model)

        let bytes = try FileIO.readBytes(path)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes.prefix(bytes.count / 2))))
        XCTAssertThrowsError(try Workspace.load(from: path, kinds: ClusterModel.coreKinds)) { error in
            guard case .badWorkspace(path, _)? = error as? ValleyError else { return XCTFail("\(error)") }
        }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(#"{"format":"other","version":1,"model":{}}"#.utf8)))
        XCTAssertThrowsError(try Workspace.load(from: path, kinds: ClusterModel.coreKinds))
    }
}
