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
