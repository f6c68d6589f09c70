import CEditLine
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ValleyCore

/// Lines from the terminal through libedit: emacs keys, UTF-8, history with Ctrl-R search,
/// Tab completion. Ctrl-C at the prompt returns `.interrupted` (the line is dropped).
public final class EditLineSource: LineSource {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private var promptBuffer: UnsafeMutablePointer<wchar_t>
    private let completer: Completer
    private let editorOutput: OutputWriter
    /// Wide strings libedit keeps pointers to (function names and help texts); freed after `el_end`.
    private var retainedStrings: [UnsafeMutablePointer<wchar_t>] = []

    /// Opens libedit on stdin; its output goes to stdout, or to stderr when stdout is not a terminal.
    public init(completer: Completer, history entries: [String]) {
        if setlocale(LC_CTYPE, "") == nil || String(cString: setlocale(LC_CTYPE, nil)) == "C" {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
        let stdoutIsTerminal = isatty(1) == 1
        self.editorOutput = OutputWriter(fd: stdoutIsTerminal ? 1 : 2)
        self.completer = completer
        self.editLine = el_init("valley", valley_stdin(), stdoutIsTerminal ? valley_stdout() : valley_stderr(), valley_stderr())
        self.history = history_winit()
        self.promptBuffer = .allocate(capacity: 1)
        promptBuffer.initialize(to: 0)
        valley_history_set_size(history, 1000)
        valley_history_set_unique(history, 1)
        for entry in entries { _ = Self.wide(entry) { valley_history_enter(history, $0) } }
        valley_el_set_editor(editLine, retainedWide("emacs"))
        valley_el_set_signal(editLine, 0)
        valley_el_set_history(editLine, history)
        valley_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        valley_el_set_prompt(editLine) { editLine in
            guard let editLine, let data = valley_el_get_clientdata(editLine) else { return nil }
            return Unmanaged<EditLineSource>.fromOpaque(data).takeUnretainedValue().promptBuffer
        }
        valley_el_add_function(editLine, retainedWide("valley-complete"), retainedWide("Complete the word"), { editLine, _ in
            guard let editLine, let data = valley_el_get_clientdata(editLine) else { return UInt8(CC_ERROR) }
            return Unmanaged<EditLineSource>.fromOpaque(data).takeUnretainedValue().complete()
        })
        valley_el_bind(editLine, retainedWide("^I"), retainedWide("valley-complete"))
        valley_el_bind(editLine, retainedWide("^R"), retainedWide("em-inc-search-prev"))
    }

    deinit {
        el_end(editLine)
        history_wend(history)
        promptBuffer.deallocate()
        for string in retainedStrings { string.deallocate() }
    }

    public func readLine(prompt: String) throws -> LineRead {
        setPrompt(prompt)
        var count: Int32 = 0
        guard let line = el_wgets(editLine, &count) else {
            // Ctrl-C in a mode that reads keys itself (Ctrl-R search) ends that mode as if at
            // end of file (count 0), so the interrupt flag decides, not the count: Ctrl-C never
            // leaves the shell.
            if Interruption.reset() || (count < 0 && errno == EINTR) {
                editorOutput.write("^C\n")
                editorOutput.flush()
                return .interrupted
            }
            editorOutput.write("\n")
            editorOutput.flush()
            return .endOfInput
        }
        if count == 0 { return Interruption.reset() ? .interrupted : .endOfInput }
        var text = String(decoding: (0..<Int(count)).map { UInt32(bitPattern: line[$0]) }, as: UTF32.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    public func remember(_ command: String) {
        _ = Self.wide(command) { valley_history_enter(history, $0) }
    }

    // MARK: - Completion

    private func complete() -> UInt8 {
        guard let info = el_wline(editLine) else { return UInt8(CC_ERROR) }
        let length = info.pointee.cursor - info.pointee.buffer
        let before = String(decoding: (0..<length).map { UInt32(bitPattern: info.pointee.buffer[$0]) }, as: UTF32.self)
        let completion = completer.complete(before)
        let candidates = completion.candidates
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if candidates.count == 1 {
            let ends = completion.isComplete && !candidates[0].hasSuffix("/")
            replace(typed: completion.typedLength, with: candidates[0] + (ends ? " " : ""))
            return UInt8(CC_REFRESH)
        }
        let prefix = Completer.commonPrefix(candidates)
        let typed = before.suffix(completion.typedLength)
        if prefix.count > typed.count, !prefix.hasPrefix("\"") || typed.hasPrefix("\"") || !completion.isComplete {
            replace(typed: completion.typedLength, with: prefix)
            return UInt8(CC_REFRESH)
        }
        let shown = completion.listed ?? candidates
        let width = (shown.map(displayWidth).max() ?? 0) + 2
        let perLine = max(1, terminalColumns() / width)
        var listing = "\n"
        for (index, candidate) in shown.enumerated() {
            listing += candidate + String(repeating: " ", count: width - displayWidth(candidate))
            if (index + 1) % perLine == 0 || index == shown.count - 1 { listing += "\n" }
        }
        if completion.more > 0 { listing += "… and \(completion.more) more\n" }
        editorOutput.write(listing)
        editorOutput.flush()
        return UInt8(CC_REDISPLAY)
    }

    private func terminalColumns() -> Int {
        var size = winsize()
        return ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    private func replace(typed: Int, with text: String) {
        if typed > 0 { el_deletestr(editLine, Int32(typed)) }
        Self.wide(text) { _ = el_winsertstr(editLine, $0) }
    }

    // MARK: - Wide strings

    private func setPrompt(_ prompt: String) {
        promptBuffer.deallocate()
        let scalars = prompt.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
        promptBuffer = .allocate(capacity: scalars.count)
        promptBuffer.initialize(from: scalars, count: scalars.count)
    }

    private static func wide<R>(_ text: String, _ body: (UnsafePointer<wchar_t>) -> R) -> R {
        let scalars = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
        return scalars.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// A wide string that lives as long as this source: libedit keeps some pointers it is
    /// given (`EL_ADDFN` names and help texts), so they are freed only after `el_end`.
    private func retainedWide(_ text: String) -> UnsafePointer<wchar_t> {
        let scalars = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
        let buffer = UnsafeMutablePointer<wchar_t>.allocate(capacity: scalars.count)
        buffer.initialize(from: scalars, count: scalars.count)
        retainedStrings.append(buffer)
        return UnsafePointer(buffer)
    }
}
