#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@_spi(Shell) import ValleyCore
import ValleyPluginHost

extension Session {
    /// Every top-level command word: the shell's, the built-in plugins', the added plugins'.
    var allCommandNames: [String] { catalog.allCommandNames + pluginHost.plugins.map(\.namespace) }

    /// Runs an external plugin's command on the model: the same all-or-nothing run as a
    /// built-in plugin's (`CommandCatalog.run`), with `--format` taken by the shell.
    func runExternal(_ plugin: InstalledPlugin, words: [String]) throws -> CommandCatalog.Outcome {
        let (kept, requested) = try CommandCatalog.extractFormat(words)
        let format = requested ?? settings.format
        if format == .xlsx {
            throw ValleyError.invalidValue(field: "--format", value: "xlsx", expected: "table, csv, json, jsonl or markdown")
        }
        do {
            let outcome = try pluginHost.run(plugin, words: kept, model: &model, format: format)
            return CommandCatalog.Outcome(changes: model.takeChanges(), output: outcome.output, format: requested, failure: outcome.failure)
        } catch {
            model.rollBack()
            throw error
        }
    }

    /// Makes the model and the session's kinds know the kinds of the added plugins.
    func adoptPluginKinds() {
        let external = pluginHost.kinds
        let known = Set(kinds.map(\.name))
        kinds += external.filter { !known.contains($0.name) }
        model.addTables(for: external)
    }
}

extension Session {
    /// Checks the records the model already holds of a kind (its table, or records kept from a
    /// workspace) against a plugin's new declaration of it, before the plugin is trusted with
    /// them: a re-added plugin whose kind changed must not leave records the next `open` refuses.
    func checkExistingRecords(of declaration: KindDeclaration) throws {
        var stored: [JSONValue] = model.keptSections[declaration.name]?.records ?? []
        if let table = model.table(named: declaration.name) {
            try table.forEachJSONRecord { bytes in stored.append(try JSONDecoder().decode(JSONValue.self, from: Data(bytes))) }
        }
        for (index, record) in stored.enumerated() {
            guard case let .object(fields) = record else { continue }
            do {
                try declaration.validate(stored: fields)
            } catch {
                let id = fields[declaration.key].map { if case let .string(text) = $0 { text } else { "?" } } ?? "?"
                throw ValleyError.refused("the model holds \(declaration.name) that its new declaration refuses (record \(index + 1), '\(ValleyError.clip(id))': \(ValleyError.describe(error))); remove them, or raise the kind's schema-version and keep the new fields optional")
            }
        }
    }
}
