#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The progress line a long import or export shows on a terminal: rows, MB/s and time left,
/// on stderr, redrawn at most ten times a second once the work has run a second, and erased
/// when it ends. The shell turns it on only for an interactive session whose stderr is a
/// terminal: scripts and pipes never get one.
public final class ProgressLine: Sendable {
    /// The line of the current session, or nil when progress is not shown.
    static let shared = Mutex<ProgressLine?>(nil)

    /// Shows progress lines on `fd` from now on (the shell calls this for an interactive
    /// session on a terminal).
    public static func enable(fd: Int32) { shared.withLock { $0 = ProgressLine(fd: fd) } }

    private struct State {
        var started: ContinuousClock.Instant?
        var lastDrawn: ContinuousClock.Instant?
        var visible = false
    }
    private let state = Mutex(State())
    private let fd: Int32

    /// A line drawn on `fd` (stderr).
    public init(fd: Int32 = 2) { self.fd = fd }

    /// Reports progress: `rows` done, `bytes` of `totalBytes` read (0 when unknown). Cheap
    /// when nothing is drawn: call it every few thousand rows.
    public static func report(rows: Int, bytes: Int, totalBytes: Int, verb: String = "read") {
        guard let line = shared.withLock({ $0 }) else { return }
        line.update(rows: rows, bytes: bytes, totalBytes: totalBytes, verb: verb)
    }

    /// Erases the line, if one is shown (when the command ends, however it ends).
    public static func finish() {
        guard let line = shared.withLock({ $0 }) else { return }
        line.clear()
    }

    func update(rows: Int, bytes: Int, totalBytes: Int, verb: String) {
        let now = ContinuousClock.now
        let text: String? = state.withLock { state in
            guard let started = state.started else { state.started = now; return nil }
            let elapsed = now - started
            guard elapsed >= .seconds(1) else { return nil }
            if let last = state.lastDrawn, now - last < .milliseconds(100) { return nil }
            state.lastDrawn = now
            state.visible = true
            return Self.text(rows: rows, bytes: bytes, totalBytes: totalBytes, elapsed: elapsed, verb: verb)
        }
        if let text { write("\r" + text + "\u{1B}[K") }
    }

    func clear() {
        let wasVisible = state.withLock { state in
            defer { state = State() }
            return state.visible
        }
        if wasVisible { write("\r\u{1B}[K") }
    }

    /// `1,234,567 rows · 48.2 MB/s · 3s left` (time left only when the size is known).
    public static func text(rows: Int, bytes: Int, totalBytes: Int, elapsed: Duration, verb: String) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(bytes) / seconds : 0
        var parts = ["\(verb) \(grouped(rows)) rows", Cell.format(rate / 1_000_000, digits: 1) + " MB/s"]
        if totalBytes > 0, bytes > 0, rate > 0 {
            parts.append(Cell.format(100 * Double(bytes) / Double(totalBytes), digits: 0) + " %")
            parts.append("\(Int((Double(totalBytes - bytes) / rate).rounded(.up)))s left")
        }
        return parts.joined(separator: " · ")
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var output = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { output.append(",") }
            output.append(character)
        }
        return output
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}
