import Foundation
import XCTest
import ValleyTestSupport

/// The interactive shell under a real terminal (tmux): prompt, Tab completion of a command and
/// a Chinese name, the rc file, Up for history, Ctrl-C on a half-typed line, Ctrl-D to leave with status 0.
final class TerminalTests: XCTestCase {
    var socket = "valley-test-\(UUID().uuidString.prefix(8))"
    var directory: String!

    /// Runs a tmux client command with posix_spawn and waitpid. Foundation's `Process` is not
    /// used here: the tmux server that `new-session` forks inherits the descriptors `Process`
    /// watches, so `waitUntilExit` would never return. Output goes through a file.
    func tmux(_ arguments: [String]) throws -> String {
        let outputPath = directory + "/tmux-output"
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, directory + "/tmux-errors", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let argv = ["tmux", "-L", socket] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw XCTSkip("tmux cannot be started (\(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (try? fileText(outputPath)) ?? ""
    }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "valley"]) }

    /// The last non-blank line of a screen (capture-pane drops trailing spaces, so an empty
    /// prompt reads `valley>`).
    func lastLine(_ screen: String) -> String {
        screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
    }

    /// Waits until the screen satisfies `condition` (at most 10 s).
    func waitFor(_ what: String, _ condition: (String) -> Bool) throws {
        let deadline = Date().addingTimeInterval(10)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let errors = (try? fileText(directory + "/tmux-errors")) ?? ""
        XCTFail("timed out waiting for \(what); screen:\n\(last)\ntmux said: \(errors)")
    }

    func keys(_ keys: String...) throws { _ = try tmux(["send-keys", "-t", "valley"] + keys) }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw XCTSkip("tmux is not installed") }
        directory = try ValleyProcess.temporaryDirectory()
    }

    override func tearDown() {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testInteractiveShell() throws {
        let status = directory + "/status"
        try FileManager.default.createDirectory(atPath: directory + "/config/valley", withIntermediateDirectories: true)
        try "set format csv\n".write(toFile: directory + "/config/valley/rc", atomically: true, encoding: .utf8)
        let command = "env LANG=C.UTF-8 NO_COLOR=1 XDG_STATE_HOME=\(directory!)/state XDG_CONFIG_HOME=\(directory!)/config HOME=\(directory!) \(ValleyProcess.binary); echo $? > \(status); sleep 5"
        _ = try tmux(["new-session", "-d", "-s", "valley", "-x", "150", "-y", "40", command])
        try waitFor("the prompt") { self.lastLine($0) == "valley>" }

        // `plug` is a prefix of `plugin` and `plugins`: Tab completes the common part, a second
        // Tab lists both.
        try keys("plug", "Tab")
        try waitFor("a completed command") { self.lastLine($0) == "valley> plugin" }
        try keys("Tab")
        try waitFor("both commands listed") { $0.contains("plugin   plugins") }
        try keys("s", "Enter")
        try waitFor("the plugins table, in csv as the rc file set") { $0.contains("namespace,commands,what it answers") && self.lastLine($0) == "valley>" }

        try keys("registry show 驯", "Tab")
        try waitFor("a completed Chinese name") { $0.contains("registry show 驯鹿生物") }
        try keys("Enter")
        try waitFor("the enterprise") { $0.contains("IASO Bio") && self.lastLine($0) == "valley>" }

        try keys("model --hal")
        try keys("C-c")
        try waitFor("a fresh prompt after Ctrl-C") { $0.contains("valley> model --hal^C") && self.lastLine($0) == "valley>" }

        try keys("Up")
        try waitFor("the last command recalled") { self.lastLine($0) == "valley> registry show 驯鹿生物" }
        try keys("C-u")

        // Ctrl-C in Ctrl-R search ends the search, not the shell (issue 12: it exited with 0).
        try keys("C-r")
        try keys("reg")
        try waitFor("an incremental search") { $0.contains("bck:reg") || $0.contains("reg") && self.lastLine($0) != "valley>" }
        try keys("C-c")
        try keys("model", "Enter")
        try waitFor("the shell still running after Ctrl-C in search") { $0.contains("enterprises,6") && self.lastLine($0) == "valley>" }

        // Ctrl-C at a continuation prompt drops the unfinished command.
        try keys("set var q 'open quote", "Enter")
        try waitFor("a continuation prompt") { self.lastLine($0) == "   ...>" }
        try keys("C-c")
        try waitFor("a fresh prompt after Ctrl-C in a continued command") { self.lastLine($0) == "valley>" }

        // Ctrl-C during a long import cancels it; the shell goes on and the model is unchanged.
        var csv = "id,name\n"
        for index in 0..<400_000 { csv += "g\(index),Generated \(index)\n" }
        try csv.write(toFile: directory + "/big.csv", atomically: true, encoding: .utf8)
        try keys("registry import \(directory!)/big.csv", "Enter")
        Thread.sleep(forTimeInterval: 0.3)
        try keys("C-c")
        try waitFor("the import cancelled") { $0.contains("error: interrupted") && self.lastLine($0) == "valley>" }
        try keys("C-l", "model", "Enter")
        try waitFor("an unchanged model") { $0.contains("enterprises,6") }
        try keys("Up", "Up", "Up", "Up")
        try waitFor("history of four commands back") { self.lastLine($0) == "valley> registry show 驯鹿生物" }
        try keys("C-u", "C-d")
        let deadline = Date().addingTimeInterval(10)
        // The shell creates the file before it writes the status: wait for the line, not the file.
        while (try? fileText(status))?.hasSuffix("\n") != true, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(try fileText(status).trimmingCharacters(in: .whitespacesAndNewlines), "0")
        let history = try fileText(directory + "/state/valley/history")
        XCTAssertEqual(history, "plugins\nregistry show 驯鹿生物\nmodel\nregistry import \(directory!)/big.csv\nmodel\n")
    }

    /// Issue 15 under a real terminal: Tab completes one record's id from a prefix of its
    /// name, names after options and values inside `--where`; `!!` shows and re-runs; a
    /// table wider than the terminal is shown expanded and output longer than the screen goes
    /// through `$PAGER`; `undo` says what it undid; `clear` clears the screen.
    func testTheShellKnowsItsData() throws {
        let command = "env LANG=C.UTF-8 NO_COLOR=1 XDG_STATE_HOME=\(directory!)/state XDG_CONFIG_HOME=\(directory!)/config HOME=\(directory!) PAGER='sed s/^/PAGED:/' \(ValleyProcess.binary); sleep 5"
        _ = try tmux(["new-session", "-d", "-s", "valley", "-x", "100", "-y", "30", command])
        try waitFor("the prompt") { self.lastLine($0) == "valley>" }

        try keys("registry show IA", "Tab")
        try waitFor("the one record's id inserted") { self.lastLine($0) == "valley> registry show iaso-bio" }
        try keys("C-u", "logistics check hk-sample-to-nanjing --cargo aph", "Tab")
        try waitFor("a cargo profile after --cargo") { self.lastLine($0) == "valley> logistics check hk-sample-to-nanjing --cargo apheresis-fresh" }
        try keys("C-u", "registry list --where \"sector = cell", "Tab")
        try waitFor("a value inside --where, the quote left open") { self.lastLine($0) == "valley> registry list --where \"sector = cell-therapy" }
        try keys("\"", "Enter")
        try waitFor("the filtered list") { $0.contains("geneseeq  Geneseeq") && self.lastLine($0) == "valley>" }

        try keys("registry count", "Enter")
        try waitFor("a count") { self.lastLine($0) == "valley>" && $0.contains("          6") }
        try keys("!!", "Enter")
        try waitFor("the expanded command shown and run") { screen in
            let lines = screen.split(separator: "\n").map(String.init)
            guard let bang = lines.lastIndex(of: "valley> !!") else { return false }
            return lines.count > bang + 4 && lines[bang + 1] == "registry count" && lines[bang + 4].hasSuffix("6")
        }

        try keys("registry list --fields id,name,name-zh,alias,credit-code,founded,status,sector,park,region,ticker,headcount", "Enter")
        try waitFor("a wide, long table expanded and paged") { $0.contains("PAGED:-[ 6 ]") && $0.contains("PAGED:id           luye-pharma") && self.lastLine($0) == "valley>" }

        try keys("registry add keep-me --name 'Keep Me' --source seed-chinaorg-2025", "Enter", "undo", "Enter")
        try waitFor("undo saying what it undid") { $0.contains("undone: registry add keep-me --name 'Keep Me' --source seed-chinaorg-2025") && self.lastLine($0) == "valley>" }
        try keys("clear", "Enter")
        try waitFor("a cleared screen") { $0.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty } == ["valley>"] }
        try keys("C-d")
    }
}
