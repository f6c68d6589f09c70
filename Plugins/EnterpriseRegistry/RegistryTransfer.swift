import ArgumentParser
import ValleyCore
import ValleyTableFiles
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `registry import` does with a row that matches an enterprise already in the model.
enum MatchAction: String, ExpressibleByArgument, CaseIterable {
    /// Fill the existing record with the row's values (the default).
    case update
    /// Leave the existing record and drop the row (listed).
    case skip
    /// Count the row as bad.
    case error
}

// MARK: - registry import

struct RegistryImport: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", _superCommandName: "registry",
        abstract: "Import enterprises from CSV/TSV (any encoding), .xlsx or JSON; all or nothing unless --skip-bad.",
        discussion: """
            Columns are read by field name (\(EnterpriseTable.columns.joined(separator: ", "))) or by the \
            headers of registry exports (企业名称, 统一社会信用代码, 成立日期, 登记状态, 注册资本, …); other columns are \
            listed and ignored. Lists are ';'-separated. Rows without sources cite the file itself. A row whose \
            credit code or company name (without 有限公司, Co., Ltd. …) matches an enterprise updates it (--on-match).
            """)

    @Argument(help: "The file to import (.csv, .tsv, .txt, .xlsx or .json).", completion: .file(extensions: ["csv", "tsv", "txt", "xlsx", "json"])) var file: String
    @OptionGroup var options: ImportOptions
    @Option(name: .customLong("on-match"), help: "A row matching an enterprise by credit code or name: update, skip or error.") var onMatch: MatchAction = .update
    @Flag(name: .customLong("add-sectors"), help: "Create sectors the file names that the taxonomy lacks.") var addSectors = false

    mutating func run(in context: inout CommandContext) throws {
        let path = context.resolve(path: file)
        let fileName = URL(fileURLWithPath: file).lastPathComponent
        if fileName.lowercased().hasSuffix(".json") { return try importJSON(path: path, fileName: fileName, in: &context) }
        var table = try TableFile(path: path, name: file, options: try options.tableOptions())
        let mapping = try ColumnMapping(header: table.header, fields: EnterpriseTable.importFields, maps: options.map, strict: options.strict,
                                        file: file, line: table.headerLine)
        // Records the rows will refer to are created before the rows (the bulk insert checks
        // references as they are when it starts), in a first pass over the file:
        // - sectors the taxonomy lacks, with --add-sectors, or always when the model has no
        //   taxonomy (`valley --empty`: nothing to match against, and an export must re-import);
        // - in a model without sources, the ids an export cites, as placeholder sources named
        //   in a note (dropping its citations would lose them; a model with sources refuses
        //   unknown ids).
        var sectors = SectorResolver(context.model.sectors)
        var addedSectors: [Sector] = []
        var placeholderSources: [Source] = []
        let createSectors = (addSectors || sectors.isEmpty) && mapping.positions["sector"] != nil
        let createSources = context.model.sources.isEmpty && mapping.positions["source"] != nil
        if createSectors || createSources {
            var seen = Set<String>()
            while let record = try table.nextRecord() {
                if createSectors {
                    for name in EnterpriseTable.words(mapping.value("sector", in: record) ?? "") where sectors.id(for: name) == nil {
                        let sector = Sector(id: EnterpriseTable.newSectorID(for: name, taken: sectors, count: addedSectors.count),
                                            name: name, nameZH: name.unicodeScalars.contains { $0.value >= 0x2E80 } ? name : nil)
                        sectors.add(sector)
                        addedSectors.append(sector)
                    }
                }
                guard createSources else { continue }
                // Sources of rows, and the last part of designations and listings.
                var cited = (mapping.value("source", in: record) ?? "").splitTrimmed(0x3B)
                for (field, part) in [("designation", 4), ("listing", 3)] {
                    for item in (mapping.value(field, in: record) ?? "").splitTrimmed(0x3B) {
                        let parts = item.splitTrimmed(0x7C, keepEmpty: true)
                        if parts.count > part, !parts[part].isEmpty { cited.append(parts[part]) }
                    }
                }
                for id in cited where seen.insert(id).inserted {
                    placeholderSources.append(Source(id: id, title: "\(id) (cited by \(fileName))", publisher: "not in this model; cited by \(fileName)",
                                                     reliability: .secondary))
                }
            }
            try context.model.insert(contentsOf: placeholderSources)
            try context.model.insert(contentsOf: addedSectors)
            table = try TableFile(path: path, name: file, options: try options.tableOptions())
        }
        let report = ImportReport(file: file, options: options)
        let importSource = Source(id: "import:\(fileName)", title: "Imported from \(fileName)", publisher: "registry import",
                                  address: path, reliability: .secondary)
        var knownSources = Set(context.model.sources.map(\.id))
        knownSources.insert(importSource.id)
        // The file is a source while rows that name none cite it; it is added first (the bulk
        // insert checks references against the sources as they are when it starts) and taken
        // out again if no row cites it.
        let addedImportSource = context.model.source(id: importSource.id) == nil
        if addedImportSource { try context.model.insert(importSource) }
        let reader = try EnterpriseTable.RowReader(
            mapping: mapping, sectors: sectors, knownSources: knownSources,
            fallbackSource: importSource.id, fileStem: URL(fileURLWithPath: fileName).deletingPathExtension().lastPathComponent,
            dateOrder: options.dateOrder, path: file, line: table.headerLine)
        var matcher = EnterpriseMatcher(context.model.enterprises)
        var citesImportFile = false
        // Every matched row, for the matches table; and the updates of enterprises that were in
        // the model before, applied once the file is read (an update of a row this file added
        // is applied at once, in the insert: nothing then waits in memory).
        var matched: [Match] = []
        var matchedNames: [String] = []
        // The matches table lists every match in a data format, the first few on screen: the
        // rows' names are kept for those alone (at 103k matches, 6 MB of names never shown).
        let matchesShown = context.format.isData ? Int.max : Self.matchesShown
        var deferred: [(line: Int, existing: String, row: Enterprise, fields: KeptFields)] = []
        var updated = 0
        var updateSharing = UpdateSharing()
        let existing = context.model.enterprises.count
        let onMatch = self.onMatch

        // Rows go straight into the model through the kind's validation; a failed import is
        // rolled back by the shell (a separate array appended at the end doubled the peak memory).
        try context.model.bulkInsert(Enterprise.self) { inserter in
            // Room for one row per 40 bytes, more than any real file needs: growing past the
            // reservation would copy the array and hold both copies at once (+190 MB at 1M rows),
            // while reserved pages that are never written cost no memory. The index is a hash
            // table whose entries spread over all its pages, so it gets a third of that.
            let rowsAtMost = table.kind == "csv" ? FileIO.size(of: path) / 40 : 1024
            inserter.reserve(rowsAtMost, keys: rowsAtMost / 3)
            // The file is read and its rows made into enterprises on another core while the
            // rows made so far are matched and inserted here, in order.
            let reading = ReadingHalf(table: table, reader: reader)
            let file = self.file
            try ParallelChunks.pipeline(produce: { send in
                var batch = ReadBatch(bytes: 1 << 17)
                var rows = 0
                func nextRecord() throws -> CSVReader.Record? {
                    do {
                        return try reading.table.nextRecord()
                    } catch ValleyError.located(_, let line, let problem) {
                        // A broken quote ends the file's structure: nothing after it can be trusted.
                        throw ValleyError.located(file: file, line: line, problem)
                    }
                }
                while let record = try nextRecord() {
                    rows += 1
                    if rows & 0xFFF == 0 { reading.table.reportProgress(rows: rows) }
                    batch.append(record, enterprise: Result { try reading.reader.enterprise(from: record) },
                                 hasOwnID: reading.reader.hasOwnID(record))
                    if batch.rows.count == ReadBatch.rowsPerBatch {
                        let bytes = batch.byteCount
                        guard send(batch) else { return }
                        batch = ReadBatch(bytes: bytes)
                    }
                }
                if !batch.rows.isEmpty { _ = send(batch) }
            }, consume: { batch in
                for row in batch.rows {
                    report.countRow()
                    if report.rows & 0xFFF == 0 { try Interruption.check() }
                    do {
                        var enterprise = try row.enterprise.get()
                        if let match = matcher.match(enterprise, codeOf: { inserter[id: $0]?.packedCreditCode }) {
                            switch onMatch {
                            case .error:
                                throw ValleyError.refused("matches enterprise '\(match.id)' by \(match.by.text) (--on-match update or skip)")
                            case .update, .skip:
                                matched.append(Match(line: row.line, existing: match.id, by: match.by))
                                if matchedNames.count < matchesShown { matchedNames.append(enterprise.displayName) }
                                guard onMatch == .update else { continue }
                                // File order, as the deferred updates: the matcher learns
                                // nothing from an update, so later rows match alike.
                                let slot = inserter.slot(of: match.id) ?? 0
                                if try inserter.updateAppended(id: match.id, {
                                    $0.absorb(enterprise)
                                    updateSharing.share(&$0, slot: slot)
                                }) {
                                    matcher.applied(match.id)
                                    if !citesImportFile, enterprise.sources.contains(importSource.id) { citesImportFile = true }
                                    updated += 1
                                } else {
                                    // The fields serve a failed update's rejection alone.
                                    deferred.append((row.line, match.id, enterprise, batch.keptFields(of: row)))
                                }
                                continue
                            }
                        }
                        if !citesImportFile, enterprise.sources.contains(importSource.id) { citesImportFile = true }
                        // A generated id (the file had none) that is taken, by an earlier import of
                        // the same file name, gets a number.
                        if !row.hasOwnID {
                            let base = enterprise.id
                            var number = 2
                            while inserter.contains(id: enterprise.id) { enterprise.id = "\(base)-\(number)"; number += 1 }
                        }
                        // Remembered once inserted: a row the store refuses claims no name or code.
                        let inserted = enterprise
                        try inserter.insert(enterprise)
                        matcher.remember(inserted)
                    } catch {
                        report.reject(error, line: row.line, fields: batch.fields(of: row))
                    }
                }
            })
        }
        if onMatch == .update {
            for match in deferred {
                do {
                    try context.model.update(Enterprise.self, id: match.existing) { $0.absorb(match.row) }
                    if match.row.sources.contains(importSource.id) { citesImportFile = true }
                    updated += 1
                } catch {
                    report.reject(error, line: match.line, fields: match.fields.strings)
                }
            }
        }
        if addedImportSource, !citesImportFile { try context.model.remove(Source.self, id: importSource.id) }
        try report.finish(header: table.header, resolve: context.resolve(path:))

        let imported = context.model.enterprises.count - existing
        var summary = Table(columns: ["file", "read as", "rows", "imported", "updated", "skipped", "bad"])
        summary.append([.text(file), .text(table.detectedForm), .integer(report.rows), .integer(imported), .integer(updated),
                        .integer(onMatch == .skip ? matched.count : 0), .integer(report.badCount)])
        if options.dryRun {
            context.discardChanges()
            // A dry run that finds bad rows fails (exit status 1), so scripts can validate a file.
            if report.badCount > 0, !options.skipBad { context.fail("\(file): \(report.badCount) of \(report.rows) rows are bad (dry run)") }
            var plan = "plan for \(file) (dry run: nothing was imported)\nread as: \(table.detectedForm)\ncolumns:\n" + mapping.planLines.joined(separator: "\n")
            if !addedSectors.isEmpty { plan += "\nnew sectors: " + addedSectors.map(\.name).joined(separator: ", ") }
            let command = ["registry", "import", file] + table.reproducingOptions + options.givenArguments
                + (onMatch == .update ? [] : ["--on-match", onMatch.rawValue]) + (addSectors ? ["--add-sectors"] : [])
            plan += "\nreproduce with: " + command.map(Self.quoted).joined(separator: " ")
            context.note(plan)
            context.emit(summary, name: "plan")
            if report.badCount > 0 { context.emit(report.problemTable, name: "problems") }
            emitMatches(matched, names: matchedNames, shown: matchesShown, in: &context)
            return
        }
        if !mapping.ignored.isEmpty { context.note("\(file): ignored columns: \(mapping.ignored.joined(separator: ", ")) (--map COLUMN=FIELD reads one, --strict refuses them)") }
        if !addedSectors.isEmpty { context.note("added sectors: " + addedSectors.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")) }
        if !placeholderSources.isEmpty { context.note("added placeholder sources for the ids the file cites: " + placeholderSources.map(\.id).joined(separator: ", ")) }
        context.emit(summary, name: "import")
        emitMatches(matched, names: matchedNames, shown: matchesShown, in: &context)
        if report.badCount > 0 {
            if let note = report.skippedNote { context.note(note) }
            context.emit(report.problemTable, name: "problems")
        }
    }

    /// Matched rows listed on screen.
    static let matchesShown = 20

    /// The matches table: on screen the first rows and a count (a 1M-row file can match
    /// 100,000 rows), a dry run's plan as the import; data formats list every match for the
    /// program that reads them.
    private func emitMatches(_ matched: [Match], names: [String], shown: Int, in context: inout CommandContext) {
        guard !matched.isEmpty else { return }
        context.emit(Self.matchTable(Array(matched.prefix(shown)), names: names, action: onMatch), name: "matches")
        if matched.count > shown {
            context.note("… and \(matched.count - shown) more matched rows (--format csv lists them all)")
        }
    }

    /// A matched row: its line, the enterprise it matched and how. Its name is kept apart, for
    /// the rows shown alone (`matchesShown`): 32 bytes a match instead of 56 (103k matches at 1M).
    struct Match {
        var line: Int
        var existing: String
        var by: EnterpriseMatcher.Reason
    }

    static func matchTable(_ matched: [Match], names: [String], action: MatchAction) -> Table {
        var table = Table(columns: ["line", "name", "matches", "by", "action"])
        for (index, match) in matched.enumerated() {
            table.append([.integer(match.line), .text(index < names.count ? names[index] : ""), .text(match.existing), .text(match.by.text),
                          .text(action == .update ? "updated" : "skipped")])
        }
        return table
    }

    /// A word quoted for the shell when it needs it.
    static func quoted(_ word: String) -> String {
        word.isEmpty || word.contains(where: { $0 == " " || $0 == "|" || $0 == ";" || $0 == "'" || $0 == "\"" || $0 == "\\" || $0 == "\t" || $0 == "#" || $0 == "$" })
            ? "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'" : word
    }

    /// A JSON array of enterprises, as `registry export --format json` writes.
    private func importJSON(path: String, fileName: String, in context: inout CommandContext) throws {
        let decoded: [Enterprise]
        do {
            decoded = try JSONDecoder().decodeChecked([Enterprise].self, from: Data(try FileIO.readBytes(path)))
        } catch {
            throw ValleyError.file(path: file, reason: "not a JSON array of enterprises (\(ValleyError.describe(error)))")
        }
        let report = ImportReport(file: file, options: options)
        let existing = context.model.enterprises.count
        try context.model.bulkInsert(Enterprise.self) { inserter in
            for (index, enterprise) in decoded.enumerated() {
                report.countRow()
                // The kind's validation checks everything (credit code, sectors, sources, ranges).
                do { try inserter.insert(enterprise) } catch { report.reject(error, line: index + 1, fields: [enterprise.id]) }
            }
        }
        try report.finish(header: ["id"], resolve: context.resolve(path:))
        if options.dryRun { context.discardChanges() }
        var summary = Table(columns: ["file", "read as", "rows", "imported", "updated", "skipped", "bad"])
        summary.append([.text(file), "json", .integer(report.rows), .integer(options.dryRun ? 0 : context.model.enterprises.count - existing), 0, 0, .integer(report.badCount)])
        context.emit(summary, name: options.dryRun ? "plan" : "import")
        if report.badCount > 0 { context.emit(report.problemTable, name: "problems") }
    }
}

// MARK: - registry export

struct RegistryExport: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", _superCommandName: "registry",
        abstract: "Write enterprises to a CSV, .xlsx or JSON file (atomically) that 'registry import' reads back, also into 'valley --empty'.",
        discussion: "The file format comes from --format (csv, xlsx or json) or the file name. csv and xlsx re-import into 'valley --empty' (sectors and cited sources are created there); json needs the sectors and sources in the model.")

    @Argument(help: "The file to write.", completion: .file(extensions: ["csv", "xlsx", "json"])) var file: String
    @Option(name: .customLong("where"), help: "Only enterprises matching this filter.") var filter: String?

    mutating func run(in context: inout CommandContext) throws {
        let condition = try context.model.enterpriseFilter(filter)
        let table = context.model.enterprises
        let path = context.resolve(path: file)
        let lowered = path.lowercased()
        let format = context.requestedFormat ?? (lowered.hasSuffix(".json") ? .json : lowered.hasSuffix(".xlsx") ? .xlsx : .csv)
        // Sectors are written by id: an id resolves in any taxonomy that has the sector, and a
        // model without one (`valley --empty`) creates it under the same id, so
        // `--where 'sector = cro-cdmo'` still works after a round trip.
        var exported = 0
        switch format {
        case .csv:
            // Rows are made as bytes, pieces of slots on every core, each piece written as soon
            // as it and those before it are made.
            var header = CSVRecordWriter()
            for column in EnterpriseTable.columns { header.field(column) }
            header.endRecord()
            try FileIO.writeAtomically(to: path) { write in
                try write(header.bytes)
                exported = try Self.encodeStreaming(table, condition, write: write) { enterprise, bytes in
                    CSVRecordWriter.appending(to: &bytes) { EnterpriseTable.appendCSVRow(at: enterprise, to: &$0) }
                }
            }
        case .json:
            // An array with one compact record per line.
            try FileIO.writeAtomically(to: path) { write in
                try write(Array("[\n".utf8))
                var first = true
                exported = try Self.encodeStreaming(table, condition, write: { part in
                    guard !part.isEmpty else { return }
                    if !first { try write(Array(",\n".utf8)) }
                    first = false
                    try write(part)
                }) { enterprise, bytes in
                    var json = JSONBytes()
                    swap(&json.bytes, &bytes)
                    if !json.bytes.isEmpty { json.raw(",\n") }
                    Enterprise.appendJSON(at: enterprise, to: &json)
                    swap(&json.bytes, &bytes)
                }
                try write(Array("\n]\n".utf8))
            }
        case .xlsx:
            let enterprises = condition.map { c in table.filter { c.matches($0) } } ?? table.all
            exported = enterprises.count
            var sheet = Table(columns: EnterpriseTable.columns)
            let headcount = EnterpriseTable.columns.firstIndex(of: "headcount")!
            for (index, enterprise) in enterprises.enumerated() {
                if index & 0x3FFF == 0 { try Interruption.check() }
                var cells = EnterpriseTable.row(enterprise).map { $0.isEmpty ? Cell.empty : Cell.text($0) }
                cells[headcount] = enterprise.headcount.map(Cell.integer) ?? .empty
                sheet.append(cells)
            }
            try FileIO.writeAtomically(try XLSXWriter.workbook([("enterprises", sheet)]), to: path)
        default:
            throw ValleyError.invalidValue(field: "--format", value: format.rawValue, expected: "csv, xlsx or json for an export file")
        }
        context.note("exported \(exported) enterprise\(exported == 1 ? "" : "s") to \(file) (\(format.rawValue))")
    }

    /// Hands `write` the bytes `encode` makes of each enterprise that `condition` keeps, in
    /// insertion order, in pieces of about 16,000 slots made on every core; returns how many
    /// enterprises were written. `encode` gets the enterprise's address in the table, valid
    /// only during the call.
    static func encodeStreaming(_ table: RecordTable<Enterprise>, _ condition: RecordFilter<Enterprise>?,
                                write: ([UInt8]) throws -> Void,
                                _ encode: @escaping @Sendable (UnsafePointer<Enterprise>, inout [UInt8]) throws -> Void) throws -> Int {
        var exported = 0
        // Buffers go back to a pool once written: a fresh 2.6 MB buffer per piece was fresh
        // pages from the kernel each time, zeroed and faulted in (a tenth of an export).
        let pool = BufferPool()
        try table.scanInPieces(produce: { table, slots in
            var bytes = pool.take()
            bytes.reserveCapacity(slots.count * 160)
            var count = 0
            try table.forEachMatch(inSlots: slots, of: condition) { enterprise in
                try encode(enterprise, &bytes)
                count += 1
            }
            return (bytes, count)
        }, consume: { piece in
            exported += piece.1
            try write(piece.0)
            pool.give(piece.0)
            return true
        })
        return exported
    }
}

/// Rows of an import file as the reading core made them, handed to the importing core
/// together: each row's line, enterprise (or why it has none) and whether the file gave its
/// id, and the rows' fields, kept for the `--rejects` file should a row be refused.
///
/// The fields of all the batch's rows are one buffer of their UTF-8 and one array of where each
/// ends. Held as each record's own strings, every row kept a string per field alive until the
/// importing core took its batch, and the strings the model keeps (names, codes) were made
/// between them, so that a scan later found them scattered among dead fields. In an A/B of a
/// million-row import followed by exports, CSV took 357–504 ms that way and 318–370 ms this
/// way (JSON 497–551 and 389–545 ms); dropping the fields altogether gave 283–412 ms, and a
/// buffer per row 350–437 ms: the dead bytes now lie in one block per batch, not between the
/// strings that live on.
struct ReadBatch: Sendable {
    /// A row of the batch.
    struct Row: Sendable {
        let line: Int
        let enterprise: Result<Enterprise, any Error>
        let hasOwnID: Bool
        /// The row's fields: indices in the batch's `fieldEnds`.
        let fields: Range<Int>
    }

    /// Rows a batch holds when the reading core hands it over.
    static let rowsPerBatch = 1_024

    private(set) var rows: [Row] = []
    private var fieldBytes: [UInt8] = []
    private var fieldEnds: [Int] = []

    /// An empty batch with room for `rowsPerBatch` rows whose fields take `bytes` bytes (those
    /// of the previous batch, say).
    init(bytes: Int) {
        rows.reserveCapacity(Self.rowsPerBatch)
        fieldBytes.reserveCapacity(bytes)
    }

    /// The bytes the batch's fields take.
    var byteCount: Int { fieldBytes.count }

    /// Adds a row made from `record`.
    /// - Complexity: O(total length of the record's fields)
    mutating func append(_ record: CSVReader.Record, enterprise: Result<Enterprise, any Error>, hasOwnID: Bool) {
        let first = fieldEnds.count
        for field in record.fields {
            fieldBytes.append(utf8: field)
            fieldEnds.append(fieldBytes.count)
        }
        rows.append(Row(line: record.line, enterprise: enterprise, hasOwnID: hasOwnID, fields: first..<fieldEnds.count))
    }

    /// The fields of `row`, one of this batch's rows, as its record had them.
    /// - Complexity: O(total length of the fields)
    func fields(of row: Row) -> [String] {
        row.fields.map { String(decoding: fieldBytes[byteRange(ofField: $0)], as: UTF8.self) }
    }

    /// Where field `index` (an index in `fieldEnds`) lies in `fieldBytes`.
    private func byteRange(ofField index: Int) -> Range<Int> {
        (index == 0 ? 0 : fieldEnds[index - 1])..<fieldEnds[index]
    }

    /// The fields of `row`, one of this batch's rows, kept in one allocation.
    /// - Complexity: O(total length of the fields)
    func keptFields(of row: Row) -> KeptFields {
        var bytes: [UInt8] = []
        for index in row.fields {
            let range = byteRange(ofField: index)
            KeptFields.appendLength(range.count, to: &bytes)
            bytes.append(contentsOf: fieldBytes[range])
        }
        return KeptFields(bytes: bytes)
    }
}

/// A row's fields as its record had them, kept in one allocation while the row waits (a
/// matched row's update is applied once the whole file is read, and only a refused update
/// shows its fields): as an array of `String`s they took ~400 bytes a row, 40 MB of the peak
/// of a million-row import with 103k matches.
struct KeptFields: Sendable {
    /// Each field: its length (LEB128, 7 bits a byte, low first), then its UTF-8.
    private let bytes: [UInt8]

    fileprivate init(bytes: [UInt8]) { self.bytes = bytes }

    /// No fields.
    static let none = KeptFields(bytes: [])

    /// Appends `length` as LEB128.
    fileprivate static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
        var rest = UInt(length)
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// The fields.
    /// - Complexity: O(total length of the fields)
    var strings: [String] {
        var fields: [String] = []
        var position = 0
        while position < bytes.count {
            var length = 0, shift = 0
            while true {
                let byte = bytes[position]
                position += 1
                length |= Int(byte & 0x7F) << shift
                shift += 7
                if byte < 0x80 { break }
            }
            fields.append(String(decoding: bytes[position..<position + length], as: UTF8.self))
            position += length
        }
        return fields
    }
}

/// The file and the row reader an import reads with on its reading core.
// @unchecked: the reading core alone uses both from the moment the pipeline starts until it
// ends (`ParallelChunks.pipeline` returns only once its producer has); the importing thread
// touches the file again only after that.
final class ReadingHalf: @unchecked Sendable {
    let table: TableFile
    let reader: EnterpriseTable.RowReader

    init(table: TableFile, reader: EnterpriseTable.RowReader) {
        self.table = table
        self.reader = reader
    }
}
