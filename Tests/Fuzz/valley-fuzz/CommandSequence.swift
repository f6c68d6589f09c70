// The command-sequence target (issue 12): bytes become a sequence of real commands, run in one
// session over the built-in data. Words come from the shell's own completer (command names,
// subcommands, options, record names from the model, so the generator follows the commands as
// they change) or from boundary values. The target fails on any trap, on any failed command
// that changed the model (a command completes or changes nothing), and when the session's
// recovery journal does not replay to the model the session ended with.

import ValleyCore
@_spi(Testing) import ValleyShell
#if canImport(Glibc)
import Glibc
#endif

enum CommandSequence {
    /// Set by the replayer (`VALLEY_FUZZ_PRINT=1`) to show the commands an input runs.
    nonisolated(unsafe) static var printsCommands = false  // set once before any input runs; single-threaded

    /// Commands that would end the session or write and read files outside the fuzzer's scratch
    /// folder (`output` would also swallow every later command's output).
    static let excluded: Set<String> = ["quit", "exit", "source", "open", "record", "output", "save", "recover"]

    static let boundaries: [String] = [
        "0", "-1", "1", "2020", "9223372036854775807", "-9223372036854775808", "4611686018427387904",
        "1e308", "-1e308", "1e-308", "nan", "inf", "-inf", "", " ", String(repeating: "x", count: 10_000),
        "细胞治疗", "南京", "\u{1B}[31mRED\u{1B}]0;pwned\u{7}", "a\nb", "2020-02-30", "2019-12", "0000",
        "999999999d", "25h", "90d", "1m", "Mon-Sat 10:00,18:30", "daily 08:00-20:00", "Asia/Shanghai",
        "2025-03-01T10:00", "name ~ a", "founded >= 2015", "(((", "not not x", "--help", "-", "--",
        "5", "12", "2021", "2024-06", "Nanjing", "seed-chinaorg-2025", "cell-therapy", "12h", "2d6h", "x", "new-id",
        "headcount > 100 and founded >= 2015 or not has listed", "name-zh ~ 细胞",
    ]

    /// Lazily built once: the built-in model (building it per input would dominate the run).
    nonisolated(unsafe) static var baseModel: ClusterModel?  // see printsCommands
    nonisolated(unsafe) static var nullFD: Int32 = -1  // see printsCommands

    static func run(_ bytes: [UInt8]) {
        if baseModel == nil {
            baseModel = defaultModel()
            nullFD = open("/dev/null", O_WRONLY)
            // Any file a command writes lands in a scratch folder, not the repository.
            var template = Array("/tmp/valley-fuzz-XXXXXX".utf8CString)
            if let folder = mkdtemp(&template) { chdir(folder) }
        }
        let session = Session(model: baseModel!, outputFD: printsCommands ? 1 : nullFD, errorFD: printsCommands ? 2 : nullFD)
        // Journaled as at the terminal (on /dev/shm when there is one: an fdatasync per change
        // on a disk would slow the fuzzer tenfold); at the end the journal must replay to the model.
        session.keepRecoveryJournal(in: FileIO.entry(at: "/dev/shm") == .directory ? "/dev/shm/valley-fuzz-journal" : "journal")
        let completer = Completer(session: session)
        var reader = ByteReader(bytes: bytes)
        var commands = 0
        while !reader.isAtEnd, commands < 24 {
            commands += 1
            guard let words = nextCommand(&reader, completer: completer) else { continue }
            let text = words.map(Tokenizer.quote).joined(separator: " ")
            if printsCommands { print("> \(text)") }
            let before = session.model
            if !session.execute(words, text: text) && session.model != before {
                fatalError("a failed command changed the model: \(text)")
            }
        }
        do {
            if let recovered = try session.recoverableModel(), recovered != session.model {
                fatalError("the recovery journal replays to a different model")
            }
        } catch {
            fatalError("the recovery journal cannot be replayed: \(error)")
        }
        session.finish()
    }

    /// One command: a command name, then (while the completer offers words that are not
    /// options) subcommands or record names, then options each followed by a value the
    /// completer offers for it (record names, enum values) or by a boundary value.
    static func nextCommand(_ reader: inout ByteReader, completer: Completer) -> [String]? {
        func candidates(_ words: [String], partial: String = "") -> [String] {
            let line = words.map(Tokenizer.quote).joined(separator: " ") + " " + partial
            return completer.complete(line).candidates.compactMap(unquote).filter { !$0.hasSuffix("/") }
        }
        func pick(_ list: [String], _ reader: inout ByteReader) -> String { list[Int(reader.next()) % list.count] }
        let names = completer.complete("").candidates.compactMap(unquote).filter { !excluded.contains($0) }
        var words = [pick(names, &reader)]
        // Subcommands (and the first record name): up to three levels.
        for _ in 0..<3 {
            let words2 = candidates(words).filter { !$0.hasPrefix("-") }
            guard !words2.isEmpty, reader.next() < 224 else { break }
            words.append(pick(words2, &reader))
        }
        let length = Int(reader.next() % 9)
        for _ in 0..<length where !reader.isAtEnd {
            let choice = reader.next()
            let offered = candidates(words)
            // Each option once (so that commands with several required options can succeed),
            // `--format` rarely (the shell handles it the same way for every command).
            let options = candidates(words, partial: "--").filter { option in
                option != "--help" && !words.contains(option) && (option != "--format" || choice % 16 == 0)
            }
            if choice < 176, !options.isEmpty {
                let option = pick(options, &reader)
                let values = candidates(words + [option]).filter { !$0.hasPrefix("-") }
                let value = !values.isEmpty && reader.next() < 160 ? pick(values, &reader) : pick(boundaries, &reader)
                if choice % 9 == 0 { words.append(option + "=" + value) } else { words += [option, value] }
            } else if choice < 208, case let plain = offered.filter({ !$0.hasPrefix("-") }), !plain.isEmpty {
                words.append(pick(plain, &reader))
            } else {
                words.append(pick(boundaries, &reader))
            }
        }
        return words
    }

    /// A candidate as the word the tokenizer reads (candidates come quoted for the line editor).
    static func unquote(_ candidate: String) -> String? {
        guard case let .words(words)? = try? Tokenizer().tokenize(candidate), words.count == 1 else { return nil }
        return words[0]
    }
}

/// The fuzzer's bytes, read one at a time (zeros after the end).
struct ByteReader {
    let bytes: [UInt8]
    var position = 0
    var isAtEnd: Bool { position >= bytes.count }
    mutating func next() -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }
}
