import ArgumentParser
import ValleyCore

/// The options every import shares (`registry import`, `talent import`, `logistics audit`):
/// how the file is read, how columns map to fields, how dates are read, and what happens to
/// bad rows. Include it with `@OptionGroup var options: ImportOptions`.
public struct ImportOptions: ParsableArguments, Sendable {
    /// The file's encoding, detected when omitted.
    @Option(help: "utf-8, gb18030 (also gbk), utf-16le or utf-16be (default: detected).")
    public var encoding: TextEncoding?

    /// The delimiter, sniffed when omitted.
    @Option(help: "The field delimiter: ',', ';', tab or '|' (default: sniffed).")
    public var delimiter: String?

    /// The workbook sheet.
    @Option(help: "The sheet of an .xlsx workbook, by name or number (default: the first).")
    public var sheet: String?

    /// `COLUMN=FIELD` or `COLUMN=-` pairs.
    @Option(help: "Read a column as a field: COLUMN=FIELD, or COLUMN=- to drop it (repeatable).")
    public var map: [String] = []

    /// Refuse unknown columns instead of ignoring them.
    @Flag(help: "Refuse columns that map to no field (default: list them once and ignore them).")
    public var strict = false

    /// How to read a day and month written as `03/01/2019`.
    @Option(name: .customLong("date-order"), help: "How to read ambiguous dates such as 03/01/2019: dmy or mdy (default: refuse them).")
    public var dateOrder: DateOrder?

    /// Import the good rows, skipping bad ones.
    @Flag(name: .customLong("skip-bad"), help: "Import the good rows and report the bad ones (default: all or nothing).")
    public var skipBad = false

    /// Where to write every bad row.
    @Option(help: "Write every bad row to this CSV file, with its line and reason.", completion: .file(extensions: ["csv"]))
    public var rejects: String?

    /// Only print the plan.
    @Flag(name: .customLong("dry-run"), help: "Print the plan (mapping, detected form, rows that pass and fail) and change nothing.")
    public var dryRun = false

    /// Creates the options (argument-parser needs this).
    public init() {}

    /// The reading options for `TableFile`.
    public func tableOptions() throws -> TableFile.Options {
        var delimiterCharacter: Character?
        if let delimiter {
            switch delimiter.lowercased() {
            case ",", "comma": delimiterCharacter = ","
            case ";", "semicolon": delimiterCharacter = ";"
            case "\t", "tab", "\\t": delimiterCharacter = "\t"
            case "|", "pipe": delimiterCharacter = "|"
            default: throw ValleyError.invalidValue(field: "--delimiter", value: delimiter, expected: "',', ';', tab or '|'")
            }
        }
        return TableFile.Options(encoding: encoding, delimiter: delimiterCharacter, sheet: sheet)
    }

    /// The options as they were given (for the reproducing command line), without `--dry-run`.
    public var givenArguments: [String] {
        var arguments: [String] = []
        for pair in map { arguments += ["--map", pair] }
        if strict { arguments.append("--strict") }
        if let dateOrder { arguments += ["--date-order", dateOrder.rawValue] }
        if skipBad { arguments.append("--skip-bad") }
        if let rejects { arguments += ["--rejects", rejects] }
        return arguments
    }
}

/// The order of day and month in a date such as `03/01/2019`.
public enum DateOrder: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Day, month, year (Europe, most of the world).
    case dmy
    /// Month, day, year (United States).
    case mdy
}
