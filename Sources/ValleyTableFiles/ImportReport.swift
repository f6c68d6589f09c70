import ValleyCore

/// The bad rows of one import: counted, the first ones kept for the screen, all of them
/// kept for `--rejects FILE`; and the decision at the end (all or nothing, unless `--skip-bad`).
public final class ImportReport {
    /// How many problems are shown on screen.
    public static let shownLimit = 20

    let file: String
    let options: ImportOptions
    /// Rows read (good and bad).
    public private(set) var rows = 0
    /// Bad rows.
    public private(set) var badCount = 0
    /// The first bad rows by line (all of them with `--rejects`): line, reason, the row's fields.
    public private(set) var problems: [(line: Int, reason: String, fields: [String])] = []

    /// A report for `file` (as the user named it) imported with `options`.
    public init(file: String, options: ImportOptions) {
        self.file = file
        self.options = options
    }

    /// Counts a row read.
    public func countRow() { rows += 1 }

    /// The first bad row's error, for a refusal of one line when it is the only one.
    private var first: (line: Int, error: ValleyError)?

    /// Notes a bad row with the error that refused it.
    public func reject(_ error: any Error, line: Int, fields: [String]) {
        badCount += 1
        if first == nil { first = (line, error as? ValleyError ?? .refused(ValleyError.describe(error))) }
        // Kept in line order: a row whose update waits for the end of the file (it matched an
        // enterprise that was there before) is refused after later rows. Rows come in order
        // otherwise, so the place is found at the end at once.
        let position = problems.lastIndex(where: { $0.line <= line }).map { $0 + 1 } ?? 0
        if options.rejects != nil || position < Self.shownLimit {
            problems.insert((line, ValleyError.describe(error), fields), at: position)
            if options.rejects == nil, problems.count > Self.shownLimit { problems.removeLast() }
        }
    }

    /// The bad rows shown: line and reason, at most `shownLimit`.
    public var problemTable: Table {
        var table = Table(columns: ["line", "problem"])
        for problem in problems.prefix(Self.shownLimit) { table.append([.integer(problem.line), .text(problem.reason)]) }
        return table
    }

    /// Writes `--rejects` (when given: every bad row with its line and reason, then the row's
    /// own columns) and, when rows were bad and neither `--skip-bad` nor `--dry-run` was
    /// given, throws the refusal that rolls the import back.
    public func finish(header: [String], resolve: (String) -> String) throws {
        if let rejects = options.rejects {
            var text = CSVWriter.record(["line", "problem"] + header)
            for problem in problems { text += CSVWriter.record([String(problem.line), problem.reason] + problem.fields) }
            try FileIO.writeAtomically(Array(text.utf8), to: resolve(rejects))
        }
        guard badCount > 0, !options.skipBad, !options.dryRun else { return }
        if badCount == 1, let first { throw ValleyError.located(file: file, line: first.line, first.error) }
        throw ValleyError.badRows(file: file, bad: badCount, rows: rows, first: problems.prefix(Self.shownLimit).map { "\(file):\($0.line): \($0.reason)" },
                                  rejectsWritten: options.rejects)
    }

    /// The line after an import: how many rows were skipped, and where they went.
    public var skippedNote: String? {
        guard badCount > 0 else { return nil }
        return "skipped \(badCount) bad row\(badCount == 1 ? "" : "s")" + (options.rejects.map { " (all written to \($0))" } ?? (badCount > Self.shownLimit ? " (the first \(Self.shownLimit) below; --rejects FILE writes them all)" : ""))
    }
}
