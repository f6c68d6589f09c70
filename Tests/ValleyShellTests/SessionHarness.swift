import Foundation
import XCTest
import ValleyCore
@testable import ValleyShell

/// Runs a session from scripted lines, capturing stdout and stderr in temporary files.
struct SessionHarness {
    let directory: String
    let session: Session
    private let outPath: String
    private let errPath: String

    init(model: ClusterModel = defaultModel(), interactive: Bool = false, settings: Session.Settings = Session.Settings()) {
        directory = NSTemporaryDirectory() + "valley-session-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        outPath = directory + "/stdout"
        errPath = directory + "/stderr"
        let out = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let err = open(errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        session = Session(model: model, settings: settings, interactive: interactive, outputFD: out, errorFD: err)
    }

    /// Runs the lines as a script named `file`.
    func run(_ lines: [String], file: String? = "test.valley") {
        session.run(ScriptedLineSource(lines: lines), file: file)
        session.finish()
    }

    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }
    var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }

    func path(_ name: String) -> String { directory + "/" + name }
}
