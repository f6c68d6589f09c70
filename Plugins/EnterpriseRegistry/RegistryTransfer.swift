import ArgumentParser
import ValleyCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The file formats `import` and `export` handle.
enum RegistryFileFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json

    /// The format a file name implies (csv unless it ends in .json).
    init(path: String) { self = path.lowercased().hasSuffix(".json") ? .json : .csv }
}

// MARK: - registry import

struct RegistryImport: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", _superCommandName: "registry",
        abstract: "Import enterprises from CSV (RFC 4180) or JSON; all or nothing unless --skip-bad.",
        discussion: "CSV columns: \(EnterpriseTable.columns.joined(separator: ", ")). Lists are ';'-separated. Rows without sources cite the file itself.")

    @Argument(help: "The file to import.", completion: .file(extensions: ["csv", "json"])) var file: String
    @Option(help: "csv or json (default: from the file name).") var format: RegistryFileFormat?
    @Option(help: "Read a column under another name: COLUMN=FIELD (repeatable).") var map: [String] = []
    @Flag(name: .customLong("skip-bad"), help: "Import the good rows and list each skipped line with its reason.") var skipBad = false

    mutating func run(in context: inout CommandContext) throws {
        let path = context.resolve(path: file)
        let fileName = URL(fileURLWithPath: file).lastPathComponent
        let importSource = Source(id: "import:\(fileName)", title: "Imported from \(fileName)", publisher: "registry import",
                                  address: path, reliability: .secondary)
        var knownSources = Set(context.model.sources.map(\.id))
        knownSources.insert(importSource.id)
        let existing = context.model.enterprises.count
        // The file is a source while rows that name none cite it; it is added first (the bulk
        // insert checks references against the sources as they are when it starts) and taken
        // out again if no row cites it.
        let addedImportSource = context.model.source(id: importSource.id) == nil
        if addedImportSource { try context.model.insert(importSource) }
        var citesImportFile = false
        var skipped: [(line: Int, reason: String)] = []
        let mapping = try columnMapping()
        let chosenFormat = format ?? RegistryFileFormat(path: path)
        let knownSectors = Set(context.model.sectors.map(\.id))
        let file = self.file, skipBad = self.skipBad

        // Rows go straight into the model through the kind's validation; a failed import is
        // rolled back by the shell (a separate array appended at the end doubled the peak memory).
        try context.model.bulkInsert(Enterprise.self) { inserter in
            func accept(_ enterprise: Enterprise) throws {
                if !citesImportFile, Enterprise.kind.citations(of: enterprise).contains(where: { $0.source == importSource.id }) { citesImportFile = true }
                try inserter.insert(enterprise)
            }
            func reject(_ error: any Error, line: Int, label: String) throws {
                let problem = error as? ValleyError ?? .refused(ValleyError.describe(error))
                guard skipBad else { throw ValleyError.located(file: file, line: line, problem) }
                skipped.append((line, "\(label)\(ValleyError.describe(problem))"))
            }

            switch chosenFormat {
            case .csv:
                var rows = CSVReader(contentsOf: path, name: file).makeIterator()
                guard let header = try rows.nextRecord() else { throw ValleyError.file(path: file, reason: "is empty (expected a header row)") }
                let reader = try EnterpriseTable.RowReader(
                    header: header.fields, mapping: mapping, knownSectors: knownSectors, knownSources: knownSources,
                    fallbackSource: importSource.id, fileStem: URL(fileURLWithPath: fileName).deletingPathExtension().lastPathComponent, path: file)
                // Room for one row per 40 bytes, more than any real file needs: growing past the
                // reservation would copy the array and hold both copies at once (+190 MB at 1M rows),
                // while reserved pages that are never written cost no memory. The index is a hash
                // table whose entries spread over all its pages, so it gets a third of that.
                let rowsAtMost = FileIO.size(of: path) / 40
                inserter.reserve(rowsAtMost, keys: rowsAtMost / 3)
                var count = 0
                while true {
                    let record: CSVReader.Record
                    do {
                        guard let next = try rows.nextRecord() else { break }
                        record = next
                    } catch ValleyError.located(_, let line, let problem) {
                        // A broken quote ends the file's structure: nothing after it can be trusted.
                        throw ValleyError.located(file: file, line: line, problem)
                    }
                    count += 1
                    if count & 0xFFF == 0 { try Interruption.check() }
                    if record.fields == [""] { continue }
                    do { try accept(try reader.enterprise(from: record)) } catch { try reject(error, line: record.line, label: "") }
                }
            case .json:
                let decoded: [Enterprise]
                do {
                    decoded = try JSONDecoder().decode([Enterprise].self, from: Data(try FileIO.readBytes(path)))
                } catch {
                    throw ValleyError.file(path: file, reason: "not a JSON array of enterprises (\(ValleyError.describe(error)))")
                }
                for (index, enterprise) in decoded.enumerated() {
                    // The kind's validation checks everything (credit code, sectors, sources, ranges).
                    do { try accept(enterprise) } catch { try reject(error, line: index + 1, label: "record \(index + 1): ") }
                }
            }
        }
        if addedImportSource, !citesImportFile { try context.model.remove(Source.self, id: importSource.id) }
        let importedCount = context.model.enterprises.count - existing
        context.emit(text: "imported \(importedCount) enterprise\(importedCount == 1 ? "" : "s") from \(file)" + (skipped.isEmpty ? "" : "; skipped \(skipped.count)"))
        if !skipped.isEmpty {
            var table = Table(columns: ["line", "skipped because"])
            for row in skipped { table.append([.integer(row.line), .text(row.reason)]) }
            context.emit(table)
        }
    }
}

extension RegistryImport {
    /// `--map COLUMN=FIELD` pairs as a dictionary; a FIELD that is no import column is an error.
    func columnMapping() throws -> [String: String] {
        var mapping: [String: String] = [:]
        for pair in map {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let column = EnterpriseTable.column(named: parts[1]) else {
                throw ValleyError.invalidValue(field: "--map", value: pair, expected: "COLUMN=FIELD with FIELD one of \(EnterpriseTable.columns.joined(separator: ", "))")
            }
            mapping[parts[0]] = column
        }
        return mapping
    }
}

// MARK: - registry export

struct RegistryExport: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", _superCommandName: "registry",
        abstract: "Write enterprises to a CSV or JSON file (atomically) that 'registry import' reads back.")

    @Argument(help: "The file to write.", completion: .file(extensions: ["csv", "json"])) var file: String
    @Option(help: "csv or json (default: from the file name).") var format: RegistryFileFormat?
    @Option(name: .customLong("where"), help: "Only enterprises matching this filter.") var filter: String?

    mutating func run(in context: inout CommandContext) throws {
        let condition = try Enterprise.fields.whereFilter(filter)
        let enterprises = condition.map { c in context.model.enterprises.filter { c.matches($0) } } ?? context.model.enterprises.all
        let path = context.resolve(path: file)
        switch format ?? RegistryFileFormat(path: path) {
        case .csv:
            var text = CSVWriter.record(EnterpriseTable.columns)
            for (index, enterprise) in enterprises.enumerated() {
                if index & 0x3FFF == 0 { try Interruption.check() }
                text += CSVWriter.record(EnterpriseTable.row(enterprise))
            }
            try FileIO.writeAtomically(Array(text.utf8), to: path)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try FileIO.writeAtomically(try encoder.encode(enterprises), to: path)
        }
        context.emit(text: "exported \(enterprises.count) enterprises to \(file)")
    }
}
