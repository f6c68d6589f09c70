import Foundation
import ValleyCore
import ValleyPluginHost
import ValleyShell
import ValleyTestSupport

/// The example plugins (Examples/plugins) and small plugins written for one test.
enum PluginFixtures {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/plugins")
    static var trials: String { examples.appendingPathComponent("trials.py").path }
    static var faulty: String { examples.appendingPathComponent("faulty.py").path }
    static var protocolOne: String { examples.appendingPathComponent("protocol-v1.py").path }
    /// The Swift plugin, built beside the test bundle.
    static var landUse: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? CommandLine.arguments[0])
        return bundle.deletingLastPathComponent().appendingPathComponent("valley-land-use").path
    }

    /// Writes an executable Python plugin into `directory`.
    static func write(_ source: String, named name: String, in directory: String) throws -> String {
        let path = directory + "/" + name
        try ("#!/usr/bin/env python3\nimport json, sys\n" + source).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// A plugin that answers `hello` with `answer` (a JSON object) and then echoes nothing.
    static func answering(_ answer: String, named name: String, in directory: String) throws -> String {
        try write("""
            sys.stdin.readline()
            sys.stdout.write(json.dumps(\(answer)) + "\\n")
            sys.stdout.flush()
            for line in sys.stdin:
                pass
            """, named: name, in: directory)
    }
}

extension SessionHarness {
    /// A session with its own plugin registry file in its temporary directory.
    static func withPlugins(model: ClusterModel = defaultModel(), registry: String? = nil) -> SessionHarness {
        let path = registry ?? NSTemporaryDirectory() + "valley-plugins-\(UUID().uuidString)/plugins"
        return SessionHarness(model: model, pluginHost: PluginHost(registryPath: path))
    }

    /// Runs lines without ending the session (so that it can run more).
    func runKeepingOpen(_ lines: [String]) {
        session.run(ScriptedLineSource(lines: lines), file: "test.valley")
        session.flush()
    }
}
